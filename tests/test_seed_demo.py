import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_logins_work():
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(email__endswith="@example.org").count() == 4
    for email, predicate in [("clinician@example.org", "is_clinician"),
                             ("pharmacist@example.org", "is_clinician"),
                             ("educator@example.org", "is_educator"),
                             ("admin@example.org", "is_administrator")]:
        user = authenticate(email=email, password="cpd-demo-2026")
        assert user is not None and getattr(user, predicate)
    # The demo pharmacist's ACPE claims have their CPE Monitor reports: with no CPE_MONITOR_URL
    # in `make run`, the newer one waits as pending, the older one is shown accepted.
    from credits.models import BoardReport

    reports = BoardReport.objects.filter(credit_record__user__email="pharmacist@example.org")
    assert sorted(reports.values_list("status", flat=True)) == ["accepted", "pending"]
