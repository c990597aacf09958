"""Every URL pattern of the project, requested as each role, against the expected outcome.

Rows live in tests/authz_rows/, one module per area; a new URL pattern without a row fails
`test_every_url_pattern_has_a_row`. Outcomes:
an HTTP status, "login" (sent to sign in), "mfa" (sent to set up two-factor authentication) or
"redirect" (any other redirect). "other_clinician" is a clinician who does not own the object
the URL names. API rows (`Row(token=True)`) send each person's access token instead of a session
and add the outcome for a service token. Django admin follows one rule, checked on the index and
every registered model's change list: administrators with MFA only.
"""
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from tests.authz_rows import ROLES, Row, row_modules
from tests.factories import UserFactory

MATRIX: dict[str, Row] = {}
for _module in row_modules():
    overlap = MATRIX.keys() & _module.ROWS.keys()
    assert not overlap, f"{_module.__name__} repeats rows: {overlap}"
    MATRIX.update(_module.ROWS)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


ALL_ROUTES = sorted({route for route, _ in _walk(get_resolver().url_patterns)})
APP_ROUTES = [route for route in ALL_ROUTES if not route.startswith("admin/")]


def test_every_url_pattern_has_a_row():
    missing = [route for route in APP_ROUTES if route not in MATRIX]
    stale = [route for route in MATRIX if route not in APP_ROUTES]
    assert not missing, f"add these URL patterns to the authorization matrix: {missing}"
    assert not stale, f"these matrix rows name URL patterns that no longer exist: {stale}"


def test_every_staff_only_route_is_behind_the_staff_mfa_gate():
    """A route clinicians are refused but staff reach must start with a STAFF_URL_PREFIXES
    entry, or an educator or administrator without an authenticator app would reach it."""
    staff_only = [route for route, row in MATRIX.items()
                  if row.expect.get("clinician") == 403 and not row.token
                  and (row.expect.get("educator") not in (403, "login")
                       or row.expect.get("administrator") not in (403, "login"))]
    assert staff_only, "the matrix has staff-only rows; this test must see them"
    outside = [route for route in staff_only
               if not ("/" + route).startswith(settings.STAFF_URL_PREFIXES)]
    assert not outside, f"staff-only routes outside STAFF_URL_PREFIXES (no MFA gate): {outside}"


@pytest.fixture
def world(clinician, other_clinician, educator, admin_user):
    world = {"anonymous": None, "clinician": clinician, "other_clinician": other_clinician,
             "educator": educator, "administrator": admin_user}
    for module in row_modules():
        if hasattr(module, "objects"):
            added = module.objects(world)
            clash = world.keys() & added.keys()
            assert not clash, f"{module.__name__} reuses world keys {clash}; name them per area"
            world.update(added)
    return world


def _url_for(route: str, row: Row, world) -> str:
    pattern = dict(_walk(get_resolver().url_patterns))[route]
    kwargs = row.kwargs(world) if row.kwargs else {}
    resolver_prefix = route[: len(route) - len(str(pattern.pattern))]
    if pattern.name:
        for candidate in _names_for(pattern):
            try:
                return reverse(candidate, kwargs=kwargs)
            except Exception:  # noqa: S112  (try the next namespace)
                continue
    return "/" + resolver_prefix + str(pattern.pattern)


def _names_for(pattern):
    yield pattern.name
    for namespace in get_resolver().namespace_dict:
        yield f"{namespace}:{pattern.name}"


def _outcome(response) -> Any:
    if response.status_code in (301, 302):
        target = urlparse(response.url).path
        if target.startswith(reverse("account_login")):
            return "login"
        if target.startswith(reverse("mfa_activate_totp")):
            return "mfa"
        return "redirect"
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("route", APP_ROUTES)
def test_url_answers_each_role_as_the_matrix_says(client, world, route):
    row = MATRIX[route]
    observed = {}
    for role in (*ROLES, "service") if row.token else ROLES:
        client.logout()
        headers = {}
        if row.token:
            secret = world["api_tokens"].get(role)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        elif world[role] is not None:
            client.force_login(world[role])
        url = _url_for(route, row, world)
        response = getattr(client, row.method)(url, **headers)
        observed[role] = _outcome(response)
    assert observed == row.expect, f"observed {observed}"


def _admin_probes():
    from django.contrib import admin

    yield "admin/"
    for model in admin.site._registry:
        yield f"admin/{model._meta.app_label}/{model._meta.model_name}/"


ADMIN_PROBES = sorted(_admin_probes())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PROBES)
def test_django_admin_is_for_administrators_with_mfa_only(client, world, path):
    educator_without_mfa = UserFactory(roles=[Role.EDUCATOR])
    admin_without_mfa = UserFactory(roles=[Role.ADMINISTRATOR])
    expected = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                "educator": 403, "administrator": 200, "educator_without_mfa": "mfa",
                "admin_without_mfa": "mfa"}
    people = {**world, "educator_without_mfa": educator_without_mfa,
              "admin_without_mfa": admin_without_mfa}
    observed = {}
    for role in expected:
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        response = client.get("/" + path, follow=False)
        if response.status_code == 302 and "/admin/login/" in response.url:
            response = client.get(response.url)  # the admin's own sign-in decides
        observed[role] = _outcome(response)
    assert observed == expected, f"observed {observed}"
