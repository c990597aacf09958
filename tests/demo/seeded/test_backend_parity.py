"""The embedded default (SQLite, no Redis: `make run` on a bare laptop) answers every page and API
route as PostgreSQL does.

On the demo data (seeded for this package, tests/demo/seeded/conftest.py, in each process), every
URL pattern of the authorization matrix is requested (GET, and then POST where its row posts) as
each role, on PostgreSQL here and on SQLite in a pytest subprocess, which also runs the schemathesis
test there. No answer may be a server error, and each route answers each role the same on both."""
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.authz_rows import (
    ROLES,
    answer,
    app_routes,
    matrix,
    outcome_as,
    roles_for,
    world_objects_add,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

REPOSITORY = Path(__file__).resolve().parents[3]
# Set in the SQLite subprocess: where its walk writes what each route answered.
WALK_OUTPUT = "PARITY_WALK_OUTPUT"
# The demo's people walk the pages too (not the API: they hold no token), each with a full
# history: transcripts, certificates, requirement progress, drills, courses they direct.
DEMO_PEOPLE = {"demo_clinician": "clinician@example.org",
               "demo_pharmacist": "pharmacist@example.org",
               "demo_educator": "educator@example.org", "demo_administrator": "admin@example.org"}
# What the SQLite subprocess runs: the schemathesis test, the API's cursor syncs (a UNION
# ordered across two tables, ties on one instant) and this test's walk.
ON_SQLITE = ["tests/api/test_schemathesis.py::test_every_operation_conforms_to_the_schema",
             "tests/api/test_sync.py",
             f"{Path(__file__).relative_to(REPOSITORY)}::"
             "test_every_route_answers_each_role_the_same_on_sqlite_as_on_postgresql"]


def _walk(settings, people: dict) -> dict[str, dict[str, Any]]:
    # As `make run` serves the demo: staff without a second factor; and nobody throttled. A
    # server error is an answer to list, not an exception to stop at.
    settings.STAFF_MFA_REQUIRED = False
    settings.API_RATE_PER_MINUTE = 1_000_000
    client = Client(raise_request_exception=False)
    demo_people = {role: User.objects.get(email=email) for role, email in DEMO_PEOPLE.items()}
    world = world_objects_add({"anonymous": None, **people}) | demo_people
    rows = matrix()
    pages = [route for route in app_routes() if not rows[route].token]
    # The objects the routes name belong to the matrix's people; the demo's people walk the
    # routes that name none (their own learning, transcript, courses, reports).
    own_pages = [route for route in pages if not rows[route].kwargs]
    answers = defaultdict(dict)
    walkers = {**dict.fromkeys(ROLES, pages), **dict.fromkeys(demo_people, own_pages)}
    for role, routes in walkers.items():
        client.logout()
        if world[role] is not None:
            client.force_login(world[role])
        for route in routes:
            answers[route][role] = answer(client, world, role, route, rows[route], method="get")
    client.logout()
    for route in set(app_routes()) - set(pages):
        for role in roles_for(rows[route]):
            answers[route][role] = answer(client, world, role, route, rows[route], method="get")
    # Last, the routes that write, by their own method (each role in turn, as the matrix does).
    for route in app_routes():
        if rows[route].method != "get":
            answers[f"{rows[route].method.upper()} {route}"] = {
                role: outcome_as(client, world, role, route, rows[route])
                for role in roles_for(rows[route])}
    return answers


def _server_errors(answers: dict) -> dict:
    return {route: by_role for route, by_role in answers.items()
            if any(isinstance(status, int) and status >= 500 for status in by_role.values())}


def _start_on_sqlite(tmp_path) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
                   "VAR_DIR": str(tmp_path / "var"), WALK_OUTPUT: str(tmp_path / "walk.json")}
    for redis_setting in ("REDIS_URL", "CELERY_BROKER_URL"):
        environment.pop(redis_setting, None)
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "--tb=short", "-p", "no:cacheprovider",
         "-p", "no:xdist", *ON_SQLITE],
        cwd=REPOSITORY, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)


def test_every_route_answers_each_role_the_same_on_sqlite_as_on_postgresql(
        seeded, settings, tmp_path, clinician, other_clinician, educator, admin_user):
    people = {"clinician": clinician, "other_clinician": other_clinician, "educator": educator,
              "administrator": admin_user}
    if connection.vendor == "sqlite":  # the half the PostgreSQL run started (or a SQLite run)
        answers = _walk(settings, people)
        if WALK_OUTPUT in os.environ:
            Path(os.environ[WALK_OUTPUT]).write_text(json.dumps(answers))
        assert not (errors := _server_errors(answers)), f"server errors on SQLite: {errors}"
        return
    on_sqlite = _start_on_sqlite(tmp_path)
    try:
        on_postgresql = _walk(settings, people)
        output, _ = on_sqlite.communicate(timeout=300)
    finally:
        on_sqlite.kill()
    assert not (errors := _server_errors(on_postgresql)), f"server errors: {errors}"
    assert on_sqlite.returncode == 0, f"on SQLite:\n{output}"
    answers_on_sqlite = json.loads((tmp_path / "walk.json").read_text())
    differences = {route: {"postgresql": by_role, "sqlite": answers_on_sqlite.get(route)}
                   for route, by_role in on_postgresql.items()
                   if answers_on_sqlite.get(route) != by_role}
    assert not differences, f"SQLite answers otherwise: {differences}"
