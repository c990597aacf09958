"""Every page carries the security headers: a strict Content-Security-Policy (no inline code
allowed), Permissions-Policy, Referrer-Policy, Cross-Origin-Opener-Policy and frame denial."""
import pytest
from django.urls import reverse

from cpd_portal.security import identity_provider_origins

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in
            (part.split() for part in policy.split(";") if part.strip())}


def test_a_public_page_gets_the_strict_policy_and_the_other_headers(client):
    response = client.get(reverse("courses:catalog"))
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_staff_pages_and_django_admin_get_the_same_policy(client, admin_user):
    client.force_login(admin_user)
    public = _directives(client.get(reverse("courses:catalog")))
    for url in [reverse("learning:my_learning"), reverse("educator:review_queue"), "/admin/",
                "/admin/courses/session/add/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) == public, url


def test_form_action_allows_the_identity_providers_the_sign_in_button_redirects_to(
        client, settings):
    settings.SSO_APPS = [{"provider_id": "hospital", "settings": {
        "server_url": "https://login.hospital.example/realms/staff"}}]
    assert identity_provider_origins() == ["https://login.hospital.example"]
    directives = _directives(client.get(reverse("account_login")))
    assert directives["form-action"] == ["'self'", "https://login.hospital.example"]
    assert directives["default-src"] == ["'self'"]


def test_the_pending_email_change_form_is_hidden_without_an_inline_style(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("account_email"), {"action_add": "",
                                                      "email": "priya.raman@hospital.example"})
    assert response.status_code == 302
    page = client.get(reverse("account_email")).content.decode()
    assert "priya.raman@hospital.example" in page
    assert '<form hidden\n              id="pending-email"' in page
    assert "style=" not in page
