"""Error pages come in the portal's layout, say what happened and where to go, and leak nothing."""
import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse

from cpd_portal.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _assert_portal_page(html, heading):
    assert heading in html
    assert 'class="brand"' in html  # the base layout's header
    assert "Traceback" not in html and "URLconf" not in html


def test_unknown_url_gets_the_styled_404_with_a_way_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_portal_page(html, "t find that page")
    assert reverse("courses:catalog") in html


def test_forbidden_page_gets_the_styled_403(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 403
    _assert_portal_page(response.content.decode(), "have access to this page")


def test_bad_host_gets_the_styled_400(client):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    _assert_portal_page(response.content.decode(), "could not understand that request")


def test_csrf_failure_gets_the_styled_403(clinician):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    _assert_portal_page(response.content.decode(), "This form has expired")


def test_server_error_page_renders_without_the_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    _assert_portal_page(response.content.decode(), "Something went wrong on our side")


def test_rate_limited_page_offers_a_password_reset(rf):
    html = render_to_string("429.html", request=rf.get("/"))
    _assert_portal_page(html, "Too many attempts")
    assert reverse("account_reset_password") in html


def test_permission_denied_is_not_a_bare_django_page(rf):
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/"), PermissionDenied())
    assert b"<h1>403 Forbidden</h1>" not in response.content
