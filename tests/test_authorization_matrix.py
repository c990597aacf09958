"""Every URL pattern of the project, requested as each role, against the expected outcome.

Rows live in tests/authz_rows/, one module per area; a new URL pattern without a row fails
`test_every_url_pattern_has_a_row`. Outcomes:
an HTTP status, "login" (sent to sign in), "mfa" (sent to set up two-factor authentication) or
"redirect" (any other redirect). "other_clinician" is a clinician who does not own the object
the URL names. API rows (`Row(token=True)`) send each person's access token instead of a session
and add the outcome for a service token. Django admin follows one rule, checked on the index and
every registered model's change list: administrators with MFA only.
"""
import copy

import pytest
from django.conf import settings
from django.test import TestCase, override_settings

from accounts.roles import Role
from tests.authz_rows import (
    app_routes,
    matrix,
    outcome,
    outcome_as,
    roles_for,
    world_objects_add,
)
from tests.conftest import PEOPLE
from tests.factories import UserFactory

MATRIX = matrix()
APP_ROUTES = app_routes()


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
                  and (row.expect.get("educator") not in (403, 404, "login")
                       or row.expect.get("administrator") not in (403, 404, "login"))]
    assert staff_only, "the matrix has staff-only rows; this test must see them"
    outside = [route for route in staff_only
               if not ("/" + route).startswith(settings.STAFF_URL_PREFIXES)]
    assert not outside, f"staff-only routes outside STAFF_URL_PREFIXES (no MFA gate): {outside}"


def world_build(*, clinician, other_clinician, educator, admin_user) -> dict:
    """The people and every object a matrix URL names."""
    return world_objects_add({"anonymous": None, "clinician": clinician,
                              "other_clinician": other_clinician, "educator": educator,
                              "administrator": admin_user})


class _ModuleData(TestCase):
    databases = {"default"}


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's ~220 tests (building it, a certificate PDF and
    dozens of courses, was most of their time), as Django's TestCase.setUpTestData builds class
    data: in a transaction that each test's own savepoint rolls back to, undone at the end."""
    media_root = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock():
        atomics = _ModuleData._enter_atomics()
        try:
            with override_settings(MEDIA_ROOT=media_root):
                world = world_build(**{name: make() for name, make in PEOPLE.items()})
        except BaseException:
            _ModuleData._rollback_atomics(atomics)
            raise
    yield world, media_root
    with django_db_blocker.unblock():
        _ModuleData._rollback_atomics(atomics)


@pytest.fixture
def world(_module_world, db, settings):
    world, media_root = _module_world
    settings.MEDIA_ROOT = media_root  # where the world's certificate PDF is
    return copy.deepcopy(world)  # a test may change its objects, as with setUpTestData


@pytest.mark.django_db
@pytest.mark.parametrize("route", APP_ROUTES)
def test_url_answers_each_role_as_the_matrix_says(client, world, route):
    row = MATRIX[route]
    observed = {role: outcome_as(client, world, role, route, row) for role in roles_for(row)}
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
        observed[role] = outcome(response)
    assert observed == expected, f"observed {observed}"
