"""Every URL pattern of the project, requested as each role, against the expected outcome.

A new URL pattern without a row here fails `test_every_url_pattern_has_a_row`. Outcomes:
an HTTP status, "login" (sent to sign in), "mfa" (sent to set up two-factor authentication) or
"redirect" (any other redirect). "other_clinician" is a clinician who does not own the object
the URL names. Django admin URLs follow one rule: staff only.
"""
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from tests.factories import LicenceFactory, UserFactory

ROLES = ("anonymous", "clinician", "other_clinician", "educator", "administrator")


@dataclass
class Row:
    expect: dict[str, Any]
    method: str = "get"
    kwargs: Any = field(default=None)  # callable(world) -> URL kwargs


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, anonymous="login"):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], outcome)}


def owner_only(outcome, anonymous="login"):
    return {"anonymous": anonymous, "clinician": outcome, "other_clinician": 404,
            "educator": 404, "administrator": 404}


STAFF_ONLY_EDUCATOR = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 200, "administrator": 403}

MATRIX: dict[str, Row] = {
    "": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "healthz": Row(everyone(200)),
    # allauth: sign-in, sign-up and recovery are open; the rest needs a signed-in user.
    "accounts/login/": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "accounts/logout/": Row({"anonymous": "redirect", **dict.fromkeys(ROLES[1:], 200)}),
    "accounts/inactive/": Row(everyone(200)),
    "accounts/signup/": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "accounts/reauthenticate/": Row(signed_in(200)),
    "accounts/email/": Row(signed_in(200)),
    "accounts/confirm-email/": Row(everyone(200)),
    "accounts/password/change/": Row(signed_in(200)),
    "accounts/password/set/": Row(signed_in("redirect")),
    "accounts/password/reset/": Row(everyone(200)),
    "accounts/login/code/confirm/": Row(signed_in("redirect")),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Row(everyone(200),
                                                       kwargs=lambda w: {"key": "not-a-key"}),
    "accounts/password/reset/key/done/": Row(everyone(200)),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Row(
        everyone(200), kwargs=lambda w: {"uidb36": "0", "key": "set-password"}),
    "accounts/password/reset/done/": Row(everyone(200)),
    "accounts/2fa/": Row(signed_in(200)),
    "accounts/2fa/authenticate/": Row(signed_in("redirect")),
    # Staff fixtures have TOTP set up; clinicians have none, so there is nothing to show them.
    "accounts/2fa/reauthenticate/": Row({"anonymous": "login", "clinician": "redirect",
                                         "other_clinician": "redirect", "educator": 200,
                                         "administrator": 200}),
    "accounts/2fa/totp/activate/": Row(signed_in("redirect")),
    "accounts/2fa/totp/deactivate/": Row({"anonymous": "login", "clinician": 404,
                                          "other_clinician": 404, "educator": "redirect",
                                          "administrator": "redirect"}),
    "accounts/2fa/recovery-codes/": Row(signed_in(404)),
    "accounts/2fa/recovery-codes/generate/": Row(signed_in("redirect")),
    "accounts/2fa/recovery-codes/download/": Row(signed_in(404)),
    # Profile and licences: each person sees only their own.
    "accounts/profile/": Row(signed_in(200)),
    "accounts/profile/licences/new/": Row(signed_in(200)),
    "accounts/profile/licences/<int:pk>/": Row(owner_only(200),
                                               kwargs=lambda w: {"pk": w["licence"].pk}),
    "accounts/profile/licences/<int:pk>/delete/": Row(
        owner_only("redirect"), method="post", kwargs=lambda w: {"pk": w["licence"].pk}),
    # Learning and teaching.
    "learning/": Row(signed_in(200)),
    "educator/": Row(STAFF_ONLY_EDUCATOR),
}


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


@pytest.fixture
def world(clinician, other_clinician, educator, admin_user):
    return {
        "anonymous": None, "clinician": clinician, "other_clinician": other_clinician,
        "educator": educator, "administrator": admin_user,
        "licence": LicenceFactory(user=clinician),
    }


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
    for namespace in ("accounts", "courses", "credits"):
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
    for role in ROLES:
        client.logout()
        if world[role] is not None:
            client.force_login(world[role])
        url = _url_for(route, row, world)
        response = getattr(client, row.method)(url)
        observed[role] = _outcome(response)
    assert observed == row.expect, f"observed {observed}"


ADMIN_PROBES = ["admin/", "admin/accounts/user/", "admin/accounts/outgoingmessage/",
                "admin/django_celery_beat/periodictask/"]


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
