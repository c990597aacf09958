"""seed_demo on a portal with DEBUG off (a production portal): refused, nothing created, unless
--allow-production, which first prints what it will create. Run as a deploy would run it: a
`manage.py` process with production settings, on this test database."""
import os
import subprocess
import sys

import pytest
from django.apps import apps

from accounts.models import User
from courses.models import Course
from cpd_portal.demo.people import DEMO_PASSWORD
from credits.certificates.openbadges.keys import new_signing_key_pem
from tests.conftest import PROJECT_ROOT, _test_database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _seed_demo_in_production(*args: str, media_root) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "0",
           "SECRET_KEY": "production-settings-for-the-seed-demo-guard-test-0123456789",
           "ALLOWED_HOSTS": "cpd.hospital.example", "CREDENTIAL_SIGNING_KEY": new_signing_key_pem(),
           "MEDIA_ROOT": str(media_root), "DB_CONN_MAX_AGE": "0"}
    return subprocess.run([sys.executable, "manage.py", "seed_demo", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_with_debug_off_seed_demo_refuses_and_creates_nothing(tmp_path):
    before = _row_counts()
    result = _seed_demo_in_production(media_root=tmp_path)
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr and "nothing was created" in result.stderr
    assert "--allow-production" in result.stderr
    assert _row_counts() == before
    assert not any(tmp_path.iterdir())


def test_allow_production_prints_the_accounts_password_warning_and_courses_then_seeds(
        tmp_path):
    result = _seed_demo_in_production("--allow-production", media_root=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    plan, _, done = out.partition("Demo data ready")
    assert DEMO_PASSWORD in plan and "published in the README" in plan
    for email, role in [("admin@example.org", "Administrator"),
                        ("educator@example.org", "Educator"),
                        ("clinician@example.org", "Clinician"),
                        ("pharmacist@example.org", "Clinician")]:
        line = next(line for line in plan.splitlines() if email in line)
        assert role in line and "signs in" in line
    assert "no password" in next(line for line in plan.splitlines()
                                 if "jordan.ellis@staff.example.net" in line)
    titles = list(Course.objects.values_list("title", flat=True))
    assert len(titles) > 10 and all(title in plan for title in titles)
    assert "every clinician" in plan  # the assignments reach the portal's own people too
    assert User.objects.filter(email="admin@example.org").exists() and done
