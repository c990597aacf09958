"""Single sign-on against a real OpenID Connect provider (node-oidc-provider, idp_harness.py)."""
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.accounts.sso.idp_harness import sign_in_at_idp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in_user(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


def test_first_sign_in_creates_a_clinician_account_from_the_id_token(client, sso_provider):
    response = sign_in_at_idp(client, "jordan")
    assert response.status_code == 302 and response.url == "/", response.content.decode()[:800]
    jordan = _signed_in_user(client)
    assert (jordan.email, jordan.full_name) == ("jordan.ellis@hospital.org", "Jordan Ellis")
    assert jordan.role_names == {Role.CLINICIAN}
    assert not jordan.has_usable_password()
    assert EmailAddress.objects.get(user=jordan).verified
    assert SocialAccount.objects.get(user=jordan).uid == "jordan"
    assert client.get(reverse("learning:my_learning")).status_code == 200


def test_first_sign_in_links_the_existing_account_with_the_same_verified_email(
        client, sso_provider):
    existing = UserFactory(email="jordan.ellis@hospital.org", full_name="Jordan Ellis RN")
    sign_in_at_idp(client, "jordan")
    assert _signed_in_user(client) == existing
    assert SocialAccount.objects.get(provider="hospital").user == existing
    assert User.objects.filter(email__iexact="jordan.ellis@hospital.org").count() == 1


def test_groups_map_to_roles_and_the_mapping_is_applied_again_at_each_sign_in(
        client, settings, sso_provider):
    sign_in_at_idp(client, "dana")
    dana = _signed_in_user(client)
    assert dana.role_names == {Role.CLINICIAN, Role.ADMINISTRATOR} and dana.is_staff
    client.logout()
    # The CME office moves the administrator group: Dana's next sign-in loses the role.
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["administrator_groups"] = ["Some-Other-Group"]
    sign_in_at_idp(client, "dana")
    dana = User.objects.get(pk=dana.pk)
    assert dana.role_names == {Role.CLINICIAN} and not dana.is_staff


def test_a_role_without_a_configured_group_is_left_as_the_cme_office_set_it(
        client, settings, sso_provider):
    jordan = UserFactory(email="jordan.ellis@hospital.org", roles=[Role.CLINICIAN, Role.EDUCATOR])
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["educator_groups"] = []
    sign_in_at_idp(client, "jordan")
    assert User.objects.get(pk=jordan.pk).role_names == {Role.CLINICIAN, Role.EDUCATOR}


def test_staff_whose_provider_asserted_mfa_skip_the_portal_totp_gate(client, sso_provider):
    sign_in_at_idp(client, "marcus")  # amr: pwd, mfa
    marcus = _signed_in_user(client)
    assert marcus.is_educator and not marcus.has_mfa
    assert client.get(reverse("educator:my_courses")).status_code == 200


def test_a_configured_acr_counts_as_mfa(client, sso_provider):
    sign_in_at_idp(client, "dana-acr")
    assert client.get("/admin/").status_code == 200


def test_staff_whose_provider_did_not_assert_mfa_still_meet_the_totp_gate(client, sso_provider):
    sign_in_at_idp(client, "dana")  # amr: pwd only
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_a_password_sign_in_after_an_sso_one_does_not_inherit_its_mfa(client, sso_provider):
    sign_in_at_idp(client, "marcus")
    client.logout()
    marcus = User.objects.get(email="marcus.lee@hospital.org")
    marcus.set_password("a-portal-password-2026")
    marcus.save()
    client.post(reverse("account_login"), {"login": marcus.email,
                                           "password": "a-portal-password-2026"})
    response = client.get(reverse("educator:my_courses"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_with_portal_totp_are_not_asked_for_it_when_the_provider_did_mfa(
        client, sso_provider):
    marcus = UserFactory(email="marcus.lee@hospital.org", roles=[Role.CLINICIAN, Role.EDUCATOR])
    Authenticator.objects.create(user=marcus, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    response = sign_in_at_idp(client, "marcus")  # amr: pwd, mfa
    assert response.status_code == 302 and response.url == "/"
    assert _signed_in_user(client) == marcus


def test_staff_with_portal_totp_are_asked_for_it_when_the_provider_did_not_do_mfa(
        client, sso_provider):
    dana = UserFactory(email="dana.whitfield@hospital.org",
                       roles=[Role.CLINICIAN, Role.ADMINISTRATOR])
    Authenticator.objects.create(user=dana, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    response = sign_in_at_idp(client, "dana")  # amr: pwd
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
