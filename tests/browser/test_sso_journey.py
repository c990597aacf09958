"""Journey: a hospital educator signs in through the hospital's identity provider (a real
node-oidc-provider process) and lands on My learning with the educator role from their groups."""
import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.sso.idp_harness import PASSWORD, free_port, sso_app, use_sso_app
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_idp(start_idp, live_server, settings):
    idp = start_idp([f"{live_server.url}/accounts/oidc/hospital/login/callback/"])
    use_sso_app(settings, sso_app(idp.issuer))
    settings.SSO_REQUIRED_DOMAINS = ["hospital.org"]
    return idp


def test_hospital_educator_signs_in_through_the_idp_and_lands_on_my_learning(page, browser_idp):
    page.goto("/accounts/login/")
    sso_button = page.get_by_role("button", name="Sign in with Hospital SSO")
    expect(sso_button).to_be_visible()
    screenshot(page, "sso-sign-in-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "sso-sign-in-1280")
    page.set_viewport_size({"width": 390, "height": 844})

    sso_button.click()
    expect(page.get_by_role("heading", name="Hospital sign-in")).to_be_visible()
    assert page.url.startswith(browser_idp.issuer)
    page.get_by_label("Username").fill("marcus")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    screenshot(page, "sso-my-learning")
    marcus = User.objects.get(email="marcus.lee@hospital.org")
    assert marcus.full_name == "Marcus Lee" and marcus.is_educator
    # The identity provider asserted MFA, so the educator pages open without portal TOTP.
    page.goto("/educator/")
    expect(page.get_by_role("heading", name="My courses")).to_be_visible()


def test_password_sign_in_for_a_hospital_address_is_refused_with_the_way_forward(
        page, browser_idp):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("jordan.ellis@hospital.org")
    page.get_by_label("Password").fill("whatever-password-1")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_text("Addresses at hospital.org sign in through the hospital's single "
                            "sign-on")).to_be_visible()
    screenshot(page, "sso-password-refused")


def test_an_unreachable_identity_provider_gets_a_page_that_says_what_to_do(page, browser,
                                                                          settings):
    use_sso_app(settings, sso_app(f"http://127.0.0.1:{free_port()}"))
    browser.expect_failure("/accounts/oidc/hospital/login/", 401)  # allauth's error page
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Hospital SSO").click()
    expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Hospital SSO did not answer")
    screenshot(page, "sso-provider-down")
