"""schemathesis runs every operation of /api/v1/openapi.json, property-based, against the live
Django application (in process, through WSGI) with real tokens and data: no server errors, and
every answer conforms to the schema (status codes, content types, bodies, headers). It runs on
SQLite too, from tests/demo/seeded/test_backend_parity.py."""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.api_world import api_world

# Rules OpenAPI 3 cannot state, so a request valid by the schema may rightly get 422: the
# transcript's and catalog's "from" after "to" (the pages' own checks), a catalog specialty that
# does not exist, a cursor the portal did not hand out. For these operations the check that
# schema-valid data is accepted is off; every other check (server errors, status codes, content
# types, bodies, headers, invalid data rejected) stays on.
RULES_BEYOND_THE_SCHEMA = {"/api/v1/me/transcript", "/api/v1/catalog",
                           "/api/v1/reports/credit-records", "/api/v1/reports/completions"}

# A fifth of the active Hypothesis profile's cases for each operation: 40 in the suite, 400 with
# HYPOTHESIS_PROFILE=thorough (tests/conftest.py); the SQLite run of
# tests/demo/seeded/test_backend_parity.py inherits the profile.
CASES_PER_OPERATION = settings().max_examples // 5

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def world(clinician, admin_user, settings):
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (and its transaction) at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.API_RATE_PER_MINUTE = 1_000_000
    settings.ALLOWED_HOSTS = ["*"]
    yield api_world(clinician, admin_user, render=False)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=CASES_PER_OPERATION, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_conforms_to_the_schema(case, world):
    reports = case.operation.path.startswith("/api/v1/reports/")
    token = world["service"] if reports else world["personal"]
    # A case whose headers were made invalid on purpose (the token left out, for one) is sent
    # as generated and must be refused; every other case carries a real token.
    headers = ({} if case.meta and case.meta.is_negative_at(ParameterLocation.HEADER)
               else {"Authorization": f"Bearer {token}"})
    excluded = ([positive_data_acceptance] if case.operation.path in RULES_BEYOND_THE_SCHEMA
                else [])
    case.call_and_validate(headers=headers,
                           excluded_checks=excluded)
