import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.totp import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def educator_without_mfa():
    return UserFactory(roles=[Role.CLINICIAN, Role.EDUCATOR])


def test_educator_without_mfa_is_sent_to_totp_setup_instead_of_an_educator_page(
        client, educator_without_mfa):
    client.force_login(educator_without_mfa)
    response = client.get(reverse("educator:my_courses"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert "next=%2Feducator%2F" in response.url


def test_educator_reaches_educator_pages_after_setting_up_totp(client, educator_without_mfa):
    client.force_login(educator_without_mfa)
    # allauth asks for the password again before it shows a TOTP secret.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    # The setup page shows the secret; a code computed from it activates TOTP, as an app would.
    secret = setup.context["form"].secret
    assert secret in setup.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    assert Authenticator.objects.filter(user=educator_without_mfa,
                                        type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("educator:my_courses")).status_code == 200


def test_administrator_without_mfa_cannot_open_django_admin(client):
    dana = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(dana)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_clinicians_need_no_mfa_and_still_cannot_open_staff_pages(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("learning:my_learning")).status_code == 200
    assert client.get(reverse("educator:my_courses")).status_code == 403


def test_switching_enforcement_off_for_a_local_demo_lets_staff_through(client, settings,
                                                                        educator_without_mfa):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(educator_without_mfa)
    assert client.get(reverse("educator:my_courses")).status_code == 200


def _sign_in_with_code(client, person, code: str):
    client.logout()
    client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_code_of_the_step_before_signs_in_one_of_two_steps_before_does_not(client, admin_user):
    secret = "JBSWY3DPEHPK3PXP"
    stale = _sign_in_with_code(client, admin_user, totp_code(secret, at=time.time() - 60))
    assert stale.status_code == 200 and "_auth_user_id" not in client.session
    late = _sign_in_with_code(client, admin_user, totp_code(secret, at=time.time() - 30))
    assert late.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)


def test_a_code_that_signed_in_once_is_refused_the_second_time(client, admin_user):
    code = totp_code("JBSWY3DPEHPK3PXP")
    assert _sign_in_with_code(client, admin_user, code).status_code == 302
    replayed = _sign_in_with_code(client, admin_user, code)
    assert replayed.status_code == 200 and "_auth_user_id" not in client.session
