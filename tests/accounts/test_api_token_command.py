"""`manage.py api_token_create`: a service token for automation, printed once and stored only
as its SHA-256; the same rules as the service-token page."""
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AccessToken
from accounts.tokens import access_token_authenticate, token_hash


@pytest.mark.django_db
def test_the_command_prints_a_scim_token_once_and_stores_its_hash(admin_user):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token_create", "--scope", "scim", "--user", admin_user.email.upper(),
                 stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = AccessToken.objects.get()
    assert token.kind == "service" and token.scopes == ["scim"]
    assert token.created_by == admin_user and token.token_hash == token_hash(secret)
    assert secret not in err.getvalue() and "shown once" in err.getvalue()
    assert access_token_authenticate(secret=secret) == token


@pytest.mark.django_db
def test_the_command_refuses_a_clinician_and_an_unknown_email(clinician):
    with pytest.raises(CommandError, match="Only the CME office"):
        call_command("api_token_create", "--scope", "scim", "--user", clinician.email)
    with pytest.raises(CommandError, match="No active account"):
        call_command("api_token_create", "--scope", "scim", "--user", "nobody@hospital.example")
    assert not AccessToken.objects.exists()
