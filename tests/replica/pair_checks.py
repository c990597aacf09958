"""The read replica against a real PostgreSQL primary and streaming replica: run by
tests/replica/test_read_replica.py in a pytest process of its own whose DATABASE_URL is the
private pair's primary and DATABASE_REPLICA_URL its replica (TEST_POSTGRES_PAIR_DIR names the
pair, so a check can pause, stop and start it). Not collected by the suite itself (no test_
prefix): settings are the process's, and only that process has a replica.

A read is proven to come from the replica by a row that only the primary has: replay is paused
on the replica (pg_wal_replay_pause()) before the row is written.
"""
import contextlib
import csv
import io
import json
import os

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessToken
from accounts.tokens import service_token_create
from cpd_portal import replica
from credits.models import ExportRun
from deploy.local.postgres_pair import PostgresPair
from tests.conftest import start_celery_worker, stop_process, wait_for
from tests.factories import CourseFactory, CreditRecordFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is made on the primary and streams to the replica by itself. Django
    would point a test mirror at the primary (tests/settings.py makes the replica one, so that
    no test empties it); point it back at the replica, at the test database's name."""
    with django_db_blocker.unblock():
        test_name = connections["default"].settings_dict["NAME"]
        replica_settings = django_settings.DATABASES[replica.REPLICA]
        replica_settings["NAME"] = test_name  # for the connections other threads open
        connections[replica.REPLICA].close()
        connections[replica.REPLICA].settings_dict = replica_settings
        _pair().wait_until_caught_up()


def _pair() -> PostgresPair:
    return PostgresPair.load(os.environ["TEST_POSTGRES_PAIR_DIR"])


@pytest.fixture
def pair():
    """The pair, streaming and replaying when the test ends whatever it did to the replica."""
    pair = _pair()
    replica.replica_health_forget()
    yield pair
    if not pair.replica.is_running():
        pair.replica.start()
        pair.wait_until_streaming()
    with contextlib.suppress(Exception):
        pair.replica.query("SELECT pg_wal_replay_resume()")
    replica.replica_health_forget()


@contextlib.contextmanager
def replay_paused(pair):
    """What is written inside reaches the replica's WAL but is not applied until the end."""
    pair.wait_until_caught_up()
    pair.replica.query("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        pair.replica.query("SELECT pg_wal_replay_resume()")


def _transcript_titles(client) -> list[str]:
    response = client.get(reverse("reports:transcript_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return sorted(row["Activity"] for row in rows)


def _replica_queries(function) -> int:
    """How many of the queries `function` makes run on the replica (its lag probe aside)."""
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        function()
    return sum(query["sql"] != replica.REPLICA_LAG_SQL for query in on_replica)


def test_the_replica_alias_is_the_streaming_standby_of_the_primary(pair):
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery(), current_database()")
        port, in_recovery, database = cursor.fetchone()
    assert (port, in_recovery) == (pair.replica.port, True)
    assert database == connections["default"].settings_dict["NAME"]
    assert connections["default"].settings_dict["PORT"] == pair.primary.port


def test_exports_the_dashboard_and_sync_feeds_read_the_replica_and_pages_the_primary(
        pair, client, admin_user, settings):
    settings.API_SYNC_SETTLE_SECONDS = 0
    hr = service_token_create(actor=admin_user, name="HR", scopes=["reports"]).secret
    course = CourseFactory(title="Sepsis Grand Rounds")
    CreditRecordFactory(user=admin_user, course=course)
    client.force_login(admin_user)
    with replay_paused(pair):
        CreditRecordFactory(user=admin_user, course=CourseFactory(title="Stroke Update"))
        EnrolmentFactory(course=course)
        # Routed: the transcript export and the participation feed see the replica's copy.
        assert _transcript_titles(client) == ["Sepsis Grand Rounds"]
        feed = client.get(f"/api/v1/reports/courses/{course.pk}/participation",
                          HTTP_AUTHORIZATION=f"Bearer {hr}").json()
        assert feed["enrolments"] == []
        assert _replica_queries(lambda: client.get(reverse("reports:dashboard"))) >= 5
        # Not routed: the transcript page, and a routed read inside a write transaction.
        assert "Stroke Update" in client.get(reverse("ledger:transcript")).text
        with transaction.atomic(), replica.reading_from_replica():
            assert replica.read_alias() == "default"
        with replica.reading_from_replica():
            assert replica.read_alias() == replica.REPLICA
    pair.wait_until_caught_up()
    assert _transcript_titles(client) == ["Sepsis Grand Rounds", "Stroke Update"]


def test_a_person_who_wrote_reads_from_the_primary_until_the_lag_bound_passes(
        pair, client, admin_user, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 2
    course = CourseFactory(title="Sepsis Grand Rounds")
    client.force_login(admin_user)
    with replay_paused(pair):
        CreditRecordFactory(user=admin_user, course=course)
        assert _transcript_titles(client) == []
        # Any write request marks the person: here, an export (a POST) of their own.
        response = client.post(reverse("reports:export", args=["credit_report"]),
                               {"status": "active", "format": "csv"})
        assert b"".join(response.streaming_content).count(b"\n") == 1  # from the replica
        assert _transcript_titles(client) == ["Sepsis Grand Rounds"]  # now the primary
    pair.wait_until_caught_up()
    wait_for(lambda: _replica_queries(lambda: _transcript_titles(client)) > 0, timeout=10)


def test_a_token_that_wrote_reads_from_the_primary_and_another_from_the_replica(
        pair, client, admin_user):
    writer, reader = (service_token_create(actor=admin_user, name=name, scopes=[
        AccessToken.Scope.SCIM, "reports"]).secret for name in ("Entra ID", "HR"))
    course = CourseFactory()
    created = client.post("/scim/v2/Users", json.dumps({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "luis.moreno@hospital.example", "name": {"givenName": "Luis",
                                                             "familyName": "Moreno"},
        "emails": [{"primary": True, "value": "luis.moreno@hospital.example"}],
        "active": True}), content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert created.status_code == 201
    participation = f"/api/v1/reports/courses/{course.pk}/participation"
    pair.wait_until_caught_up()
    assert _replica_queries(lambda: client.get(
        participation, HTTP_AUTHORIZATION=f"Bearer {writer}")) == 0
    assert _replica_queries(lambda: client.get(
        participation, HTTP_AUTHORIZATION=f"Bearer {reader}")) == 2


def test_a_stopped_replica_leaves_pages_and_exports_to_the_primary_and_healthz_says_so(
        pair, client, admin_user):
    CreditRecordFactory(user=admin_user, course=CourseFactory(title="Sepsis Grand Rounds"))
    client.force_login(admin_user)
    assert client.get(reverse("reports:dashboard")).status_code == 200  # measured: ok
    pair.replica.stop()
    # Within the check interval the replica is still thought up: the first routed query fails
    # and the read runs again on the primary.
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert _transcript_titles(client) == ["Sepsis Grand Rounds"]
    health = client.get("/healthz")
    assert (health.status_code, health.json()["status"], health.json()["replica"]) == (
        200, "ok", "down")
    pair.replica.start()
    pair.wait_until_streaming()
    assert client.get("/healthz").json()["replica"] == "ok"
    assert _replica_queries(lambda: _transcript_titles(client)) > 0


def test_a_lagging_replica_leaves_reads_to_the_primary_and_healthz_says_lagging(
        pair, client, admin_user, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    client.force_login(admin_user)
    with replay_paused(pair):
        CreditRecordFactory(user=admin_user, course=CourseFactory(title="Stroke Update"))
        wait_for(lambda: pair.lag_seconds() > 1.5, timeout=10, interval=0.1)
        replica.replica_health_forget()
        assert _transcript_titles(client) == ["Stroke Update"]
        health = client.get("/healthz").json()
        assert health["status"] == "ok"
        assert health["replica"].startswith("lagging (") and health["replica"].endswith("s)")
    pair.wait_until_caught_up()
    replica.replica_health_forget()
    assert client.get("/healthz").json()["replica"] == "ok"


@pytest.mark.worker
def test_a_background_export_reads_as_the_request_that_queued_it(
        pair, client, admin_user, tmp_path, settings):
    from cpd_portal.celery import app

    settings.EXPORT_ASYNC_THRESHOLD_ROWS = 1
    primary = connections["default"].settings_dict
    app.control.purge()  # nothing an earlier run left in this run's queues
    worker = start_celery_worker(name="replica-exports", log_path=tmp_path / "worker.log", env={
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary['PORT']}/{primary['NAME']}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{pair.replica.port}/"
                                f"{primary['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT)})
    try:
        CreditRecordFactory(course=CourseFactory(title="Sepsis Grand Rounds"))
        client.force_login(admin_user)
        with replay_paused(pair):
            CreditRecordFactory(course=CourseFactory(title="Stroke Update"))
            exports = []
            for _ in range(2):  # the second follows a write request (the first export)
                client.post(reverse("reports:export", args=["credit_report"]),
                            {"status": "active", "format": "csv"})
                run = ExportRun.objects.latest("pk")
                wait_for(lambda run=run: ExportRun.objects.get(pk=run.pk).is_finished,
                         timeout=120)
                run.refresh_from_db()
                assert run.status == ExportRun.Status.DONE, run.error
                exports.append(run.file.read().decode("utf-8-sig"))
    finally:
        stop_process(worker)
    log = (tmp_path / "worker.log").read_text()
    assert "Stroke Update" not in exports[0] and "Sepsis Grand Rounds" in exports[0], log
    assert "Stroke Update" in exports[1], log
