"""The token pages: a clinician creates a token on their profile (shown once), a double submit
makes one token, revoking works from the profile; the CME office makes service tokens."""
import pytest

from accounts.models import AccessToken
from tests.api.api_world import bearer

pytestmark = pytest.mark.django_db


def _form_key(response) -> str:
    return response.context["form"]["form_key"].value()


def test_a_clinician_creates_a_token_sees_it_once_and_uses_it(client, clinician):
    client.force_login(clinician)
    page = client.get("/accounts/profile/tokens/new/")
    data = {"name": "Board renewal app", "scopes": ["transcript", "certificates"],
            "form_key": _form_key(page)}
    created = client.post("/accounts/profile/tokens/new/", data)
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    secret = created.context["created"].secret
    assert secret in created.content.decode()
    assert client.get("/api/v1/me/transcript", **bearer(secret)).status_code == 200

    # The same form sent again (a double click) makes no second token and shows no secret.
    again = client.post("/accounts/profile/tokens/new/", data)
    assert AccessToken.objects.filter(user=clinician).count() == 1
    assert "already sent" in again.content.decode()

    profile = client.get("/accounts/profile/").content.decode()
    assert "Board renewal app" in profile and secret not in profile
    assert secret[:12] in profile


def test_reports_scope_is_not_offered_to_clinicians(client, clinician):
    client.force_login(clinician)
    page = client.get("/accounts/profile/tokens/new/")
    response = client.post("/accounts/profile/tokens/new/", {
        "name": "x", "scopes": ["reports"], "form_key": _form_key(page)})
    assert "not one of the available choices" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_revoking_from_the_profile(client, clinician, other_clinician):
    from accounts.tokens import personal_token_create

    created = personal_token_create(user=clinician, name="Old laptop", scopes=["profile"])
    client.force_login(other_clinician)
    assert client.post(f"/accounts/profile/tokens/{created.token.pk}/revoke/").status_code == 404
    client.force_login(clinician)
    response = client.post(f"/accounts/profile/tokens/{created.token.pk}/revoke/", follow=True)
    assert "Revoked “Old laptop”" in response.content.decode()
    assert client.get("/api/v1/me", **bearer(created.secret)).status_code == 401


def test_the_cme_office_creates_a_service_token(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/review/integrations/tokens/")
    created = client.post("/review/integrations/tokens/", {
        "name": "Workday HR sync", "scopes": ["reports"], "expires_on": "2027-12-31",
        "form_key": _form_key(page)})
    secret = created.context["created"].secret
    token = AccessToken.objects.get()
    assert token.kind == "service" and token.user is None and token.created_by == admin_user
    assert client.get("/api/v1/reports/completions", **bearer(secret)).status_code == 200
