import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_logins_work():
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(email__endswith="@example.org").count() == 3
    for email, predicate in [("clinician@example.org", "is_clinician"),
                             ("educator@example.org", "is_educator"),
                             ("admin@example.org", "is_administrator")]:
        user = authenticate(email=email, password="cpd-demo-2026")
        assert user is not None and getattr(user, predicate)
