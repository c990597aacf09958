"""Production settings pass Django's deployment checklist with no warnings."""
import json
import os
import secrets
import string
import subprocess
import sys

from credits.certificates.openbadges.keys import new_signing_key_pem
from tests.conftest import PROJECT_ROOT


def _manage(*args, **env_overrides):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment has none.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "CREDENTIAL_SIGNING_KEY",
             "CREDENTIAL_SIGNING_KEY_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    # Production's settings module, not the suite's (tests/settings.py).
    env.update(DJANGO_SETTINGS_MODULE="cpd_portal.settings", **env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_debug_off():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    secret_key = "".join(secrets.choice(alphabet) for _ in range(50))
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                     SECRET_KEY=secret_key, ALLOWED_HOSTS="cpd.hospital.example",
                     CREDENTIAL_SIGNING_KEY=new_signing_key_pem())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key_or_with_mfa_switched_off():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="cpd.hospital.example")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 50, STAFF_MFA_REQUIRED="0",
                     ALLOWED_HOSTS="cpd.hospital.example",
                     CREDENTIAL_SIGNING_KEY=new_signing_key_pem())
    assert result.returncode != 0 and "STAFF_MFA_REQUIRED" in result.stderr


def test_production_refuses_to_start_without_a_usable_credential_signing_key(tmp_path):
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cpd.hospital.example"}
    result = _manage("check", **production)
    assert result.returncode != 0
    assert "CREDENTIAL_SIGNING_KEY must be set when DEBUG is off" in result.stderr
    result = _manage("check", CREDENTIAL_SIGNING_KEY="not a key", **production)
    assert result.returncode != 0 and "is not an unencrypted PEM private key" in result.stderr
    assert "not a key" not in result.stderr  # the value itself is never printed
    key_file = tmp_path / "signing.pem"
    key_file.write_text(new_signing_key_pem())
    result = _manage("check", CREDENTIAL_SIGNING_KEY_FILE=str(key_file), **production)
    assert result.returncode == 0, result.stderr
    result = _manage("check", CREDENTIAL_SIGNING_KEY_FILE=str(tmp_path / "missing.pem"),
                     **production)
    assert result.returncode != 0 and "cannot be read" in result.stderr


def test_credential_signing_key_may_be_a_jwk():
    from joserfc.jwk import ECKey

    jwk = json.dumps(ECKey.generate_key("P-256").as_dict(private=True))
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 50,
                     ALLOWED_HOSTS="cpd.hospital.example", CREDENTIAL_SIGNING_KEY=jwk)
    assert result.returncode == 0, result.stderr
    public = json.dumps(ECKey.generate_key("P-256").as_dict(private=False))
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 50,
                     ALLOWED_HOSTS="cpd.hospital.example", CREDENTIAL_SIGNING_KEY=public)
    assert result.returncode != 0 and "is a public JWK" in result.stderr
