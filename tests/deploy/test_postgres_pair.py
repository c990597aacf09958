"""The private primary + streaming replica pair of deploy/local/postgres_pair.py, which the read
replica's tests and `make cluster` run on: it streams, it can be stopped, killed and restarted,
and it reports its lag."""
import pytest
from psycopg2 import errors

from tests.conftest import wait_for


@pytest.fixture
def pair(postgres_pair):
    postgres_pair.primary.query("CREATE TABLE IF NOT EXISTS pair_probe (id int PRIMARY KEY)")
    postgres_pair.primary.query("TRUNCATE pair_probe")
    postgres_pair.wait_until_caught_up()
    return postgres_pair


def _probe_ids(node) -> list[int]:
    with node.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM pair_probe ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_row_written_on_the_primary_appears_on_the_replica(pair):
    assert pair.status()["primary"]["replication"]["state"] == "streaming"
    pair.primary.query("INSERT INTO pair_probe VALUES (1)")
    pair.wait_until_caught_up()
    assert _probe_ids(pair.replica) == [1]
    (in_recovery,) = pair.replica.query("SELECT pg_is_in_recovery()")
    assert in_recovery
    with pytest.raises(errors.ReadOnlySqlTransaction):
        pair.replica.query("INSERT INTO pair_probe VALUES (2)")


def test_a_paused_replica_reports_its_lag_and_catches_up_when_resumed(pair):
    pair.replica.query("SELECT pg_wal_replay_pause()")
    try:
        pair.primary.query("INSERT INTO pair_probe VALUES (1)")
        wait_for(lambda: pair.lag_seconds() > 0.5, timeout=10, interval=0.05)
        assert _probe_ids(pair.replica) == []
    finally:
        pair.replica.query("SELECT pg_wal_replay_resume()")
    pair.wait_until_caught_up()
    assert pair.lag_seconds() == 0
    assert _probe_ids(pair.replica) == [1]


def test_a_killed_replica_restarts_and_replays_what_it_missed(pair):
    pair.replica.kill()
    assert not pair.replica.is_running()
    assert "lag_seconds" not in pair.status()["replica"]
    pair.primary.query("INSERT INTO pair_probe VALUES (1)")
    pair.replica.start()
    pair.wait_until_streaming()
    pair.wait_until_caught_up()
    assert _probe_ids(pair.replica) == [1]


def test_a_stopped_primary_restarts_and_the_replica_streams_again(pair):
    pair.primary.stop()
    assert not pair.primary.is_running()
    pair.primary.start()
    pair.wait_until_streaming()
    pair.primary.query("INSERT INTO pair_probe VALUES (1)")
    pair.wait_until_caught_up()
    assert _probe_ids(pair.replica) == [1]
