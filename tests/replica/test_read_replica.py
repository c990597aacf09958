"""The read replica (cpd_portal/replica.py): routed reads, read-your-writes and the fallback,
checked against a real private primary and streaming replica in a pytest process of its own
(tests/replica/pair_checks.py); and, in this process, that without DATABASE_REPLICA_URL
nothing is routed."""
import os
import subprocess
import sys

import pytest
from django.db import connections, router

from cpd_portal import replica
from tests import migrated_databases
from tests.conftest import PROJECT_ROOT
from tests.factories import CreditRecordFactory


@pytest.mark.slow
def test_routing_read_your_writes_and_fallback_hold_against_a_real_primary_and_replica(
        postgres_pair, django_db_setup, django_db_blocker):
    database = "cpd_replica_checks"
    with django_db_blocker.unblock():  # the checks' test database copies it, not migrating
        migrated_databases.postgresql_template_export(
            connections["default"], to_url=postgres_pair.primary.url(),
            database_name=database)
    environment = {
        **os.environ,
        "DATABASE_URL": postgres_pair.primary.url(database),
        "DATABASE_REPLICA_URL": postgres_pair.replica.url(database),
        # Larger than any pause a check makes, unless the check lowers it itself.
        "DATABASE_REPLICA_MAX_LAG_SECONDS": "60",
        "TEST_POSTGRES_PAIR_DIR": str(postgres_pair.directory),
        # Redis keys and Celery queues of its own, beside this worker's.
        "PYTEST_XDIST_WORKER": f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-replica",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/replica/pair_checks.py", "-q",
         "-p", "no:cacheprovider", "-x"],
        cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=600)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in summary and "skipped" not in summary, summary


@pytest.mark.django_db
def test_without_a_replica_routed_reads_stay_on_the_primary_and_healthz_omits_it(
        client, admin_user):
    assert replica.REPLICA not in connections
    record = CreditRecordFactory()
    with replica.reading_from_replica():
        assert replica.read_alias() == "default"
        assert router.db_for_read(type(record)) == "default"
    client.force_login(admin_user)
    assert client.get("/reports/dashboard/").status_code == 200
    assert "replica" not in client.get("/healthz").json()
