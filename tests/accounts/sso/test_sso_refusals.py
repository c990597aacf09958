"""Sign-ins the portal must refuse, each with a clear page and nothing created."""
import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User
from tests.accounts.sso.idp_harness import free_port, sign_in_at_idp, sso_app, use_sso_app
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _refused(response, words: str) -> str:
    assert response.status_code == 401, response.content.decode()[:500]
    text = response.content.decode()
    assert words in text, text
    assert "_auth_user_id" not in response.wsgi_request.session
    assert not SocialAccount.objects.exists()
    return text


def test_a_callback_with_another_state_is_refused(client, sso_provider):
    response = sign_in_at_idp(client, "jordan", callback_changes={"state": "not-our-state"})
    _refused(response, "could not be accepted")


def test_a_code_issued_for_another_nonce_is_refused(client, sso_provider):
    # As if an attacker injected a code from a sign-in they started themselves.
    response = sign_in_at_idp(client, "jordan", authorize_changes={"nonce": "attacker-nonce"})
    _refused(response, "did not belong to this browser")


def test_an_expired_id_token_is_refused(client, sso_provider):
    # When the portal redeems the code, the provider's clock runs an hour behind: the ID token
    # it issues expired long before it arrives.
    response = sign_in_at_idp(
        client, "jordan", before_callback=lambda: sso_provider.set_mode(clockOffsetSeconds=-3600))
    _refused(response, "had expired")


def test_an_id_token_not_signed_by_the_published_key_is_refused(client, sso_provider):
    # The key set now holds another key under the same key id, so the signature cannot verify.
    sso_provider.set_mode(foreignJwks=True)
    _refused(sign_in_at_idp(client, "jordan"), "was not signed by the provider")


def test_an_unverified_email_creates_and_links_nothing(client, sso_provider):
    UserFactory(email="new.starter@hospital.org")
    text = _refused(sign_in_at_idp(client, "unverified"), "did not confirm")
    assert "IT service desk" in text
    assert User.objects.filter(email="new.starter@hospital.org").count() == 1


def test_a_domain_the_operator_vouches_for_counts_as_verified(client, settings, sso_provider):
    # Entra ID sends no email_verified; SSO_<N>_VERIFIED_EMAIL_DOMAINS covers the hospital's own.
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"][
        "verified_email"] = ["hospital.org"]
    sign_in_at_idp(client, "unverified")
    assert User.objects.get(email="new.starter@hospital.org").full_name == "New Starter"


def test_a_provider_that_is_down_gets_a_clear_page_not_an_error(client, settings, db):
    use_sso_app(settings, sso_app(f"http://127.0.0.1:{free_port()}"))
    response = client.post("/accounts/oidc/hospital/login/")
    assert response.status_code == 401
    assert "Hospital SSO did not answer" in response.content.decode()


def test_password_sign_up_is_refused_for_an_sso_domain(client, settings, sso_provider):
    settings.SSO_REQUIRED_DOMAINS = ["hospital.org"]
    response = client.post(reverse("account_signup"), {
        "email": "new.starter@Hospital.org", "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD, "full_name": "New Starter"})
    assert response.status_code == 200
    assert "sign in through the hospital" in response.content.decode()
    assert "Sign in with Hospital SSO" in response.content.decode()
    assert not User.objects.filter(email__iexact="new.starter@hospital.org").exists()


def test_password_sign_in_is_refused_for_an_sso_domain_even_with_the_right_password(
        client, settings, sso_provider):
    settings.SSO_REQUIRED_DOMAINS = ["hospital.org"]
    UserFactory(email="jordan.ellis@hospital.org")
    response = client.post(reverse("account_login"), {"login": "jordan.ellis@hospital.org",
                                                      "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Addresses at hospital.org sign in through the hospital" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other domains still sign in with a password.
    UserFactory(email="locum@agency.example")
    client.post(reverse("account_login"), {"login": "locum@agency.example",
                                           "password": TEST_PASSWORD})
    assert "_auth_user_id" in client.session


def test_sso_still_signs_in_an_sso_domain(client, settings, sso_provider):
    settings.SSO_REQUIRED_DOMAINS = ["hospital.org"]
    sign_in_at_idp(client, "jordan")
    assert "_auth_user_id" in client.session
