"""Production settings pass Django's deployment checklist with no warnings."""
import os
import secrets
import string
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def _manage(*args, **env_overrides):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment has none.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_debug_off():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    secret_key = "".join(secrets.choice(alphabet) for _ in range(50))
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                     SECRET_KEY=secret_key, ALLOWED_HOSTS="cpd.hospital.example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key_or_with_mfa_switched_off():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="cpd.hospital.example")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 50, STAFF_MFA_REQUIRED="0",
                     ALLOWED_HOSTS="cpd.hospital.example")
    assert result.returncode != 0 and "STAFF_MFA_REQUIRED" in result.stderr
