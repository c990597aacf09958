"""Fixtures for the whole suite: role users, a temporary MEDIA_ROOT, a clean share of Redis
for each test, a cheaper end to transactional tests, and a real Celery worker process for tests
that need one. The suite runs in pytest-xdist workers (`make test`; tests/settings.py)."""
import contextlib
import functools
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.pytest.plugin import SchemathesisFunction

from accounts.roles import Role
from cpd_portal.caching.invalidation import PendingVersions
from tests import migrated_databases
from tests.factories import UserFactory

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The fuzz tests (tests/**/test_*_fuzz.py): no example database in the checkout, no per-example
# deadline (a request is timed by the suite, not by Hypothesis). They and the Redis outage walk
# (tests/reliability/test_redis_outage.py) are sized for the suite's time; FULL_FUZZ=1 runs them
# at full size (twice the cases, every URL as every role), HYPOTHESIS_PROFILE=thorough runs
# twenty times the suite's cases.
FULL_FUZZ = os.environ.get("FULL_FUZZ") == "1"
hypothesis_settings.register_profile(
    "suite", max_examples=100, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example])
hypothesis_settings.register_profile("full", parent=hypothesis_settings.get_profile("suite"),
                                     max_examples=200)
hypothesis_settings.register_profile("thorough", parent=hypothesis_settings.get_profile("suite"),
                                     max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE",
                                                "full" if FULL_FUZZ else "suite"))

# The local OpenID Connect provider, for the SSO tests and the SSO browser journey.
pytest_plugins = ["tests.accounts.sso.idp_harness"]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker,
                    django_db_modify_db_settings, tmp_path_factory):
    """pytest-django's, but the test database is a copy of a migrated template instead of a
    fresh run of every migration (tests/migrated_databases.py): on PostgreSQL a copy made by
    the server and used as it is, on SQLite a file, which Django's setup then treats as a kept
    database (as it does a PostgreSQL one beside a mirrored alias)."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        connection = connections["default"]
        if connection.vendor == "postgresql" and list(connections) == ["default"]:
            own_name = migrated_databases.postgresql_test_database_use(connection)
            databases = [(connection, own_name, True)]
        else:
            if connection.vendor == "postgresql":
                migrated_databases.postgresql_test_database_copy(connection)
            else:
                path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
                migrated_databases.sqlite_database_copy(path)
                connection.settings_dict["TEST"]["NAME"] = str(path)
            databases = setup_databases(verbosity=verbosity, interactive=False, keepdb=True,
                                        serialized_aliases=set())
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing strength is not under test; PBKDF2 would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def same_minute():
    """For a test whose later request must find what an earlier one cached: cache keys hold the
    current minute (docs/caching.md), so start where at least 20 s of the minute remain rather
    than let a minute boundary between the two requests make the second one cold."""
    left = 60 - time.time() % 60
    if left < 20:
        time.sleep(left + 0.05)


def pytest_collection_modifyitems(items):
    """Ready the items for pytest-xdist's `loadgroup` scheduler (`make test`), which hands the
    tests of one group (the part of a node id after "@") to one worker and every other test out
    one by one, telling them apart by node id:

    - the tests that read the seeded demo (tests/demo/seeded/, whose package-scoped
      `demo_world` seeds it) are one group, so the demo is seeded once rather than once on
      each worker their tests land on;
    - schemathesis names each API operation's item in `name` (`...[GET /api/v1/me]`) but they
      all share one node id, which the scheduler would run once: each gets its own.

    Set here on the node's id: pytest 9 reads it from `_id`, where xdist's own `xdist_group`
    marks and schemathesis still write `_nodeid`, which it no longer reads.

    Then the long ones first (the demo's package, one worker's longest run, then those marked
    `slow`), in the order pytest-django left them otherwise: started last, a three-minute test
    would make the suite three minutes longer while the other workers wait. The demo's tests
    stay together, so that one process also seeds it once."""
    demo_seeded = set()
    for item in items:
        if "demo_world" in getattr(item, "fixturenames", ()):
            item._id = item.parent.id.child(f"{item.name}@demo-seeded")
            demo_seeded.add(item)
        elif isinstance(item, SchemathesisFunction):
            item._id = item.parent.id.child(item.name)
    items.sort(key=lambda item: 0 if item in demo_seeded else
               1 if item.get_closest_marker("slow") else 2)


@pytest.fixture(autouse=True)
def _default_language():
    """Django's LocaleMiddleware leaves a request's language active in the thread after the test
    client's request: a test that asked for Spanish would hand it to the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the (real) cache; one test's sign-ins must not throttle another.
    redis_namespace_clear()
    yield


@pytest.fixture
def django_assert_num_queries():
    """pytest-django's, listing the queries whenever the count is wrong (its own lists them only
    under -v): a pin that fails once in a clean-clone run must say which query was extra."""

    @contextlib.contextmanager
    def assert_num_queries(expected: int):
        with CaptureQueriesContext(connections["default"]) as context:
            yield context
        if len(context) != expected:
            listed = "\n\n".join(query["sql"] for query in context.captured_queries)
            pytest.fail(f"Expected to perform {expected} queries but {len(context)} were done"
                        f"\n\nQueries:\n========\n\n{listed}")

    return assert_num_queries


@pytest.fixture(autouse=True)
def _process_lookups_warm(request, _clear_cache):
    """A warm process looks some rows up once: the credit type catalog and the professions
    while their tables are unchanged (courses.credittypes.selectors) and the content types.
    Emptying the cache or a transactional test's flush (which clears Django's content type
    memo) would make the next test in this worker pay for them, so a pinned query count would
    depend on which test ran before. Warm them all, so a pin measures a warm process."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames)
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from courses.credittypes.selectors import credit_type_catalog, profession_choices

    credit_type_catalog()
    profession_choices()
    ContentType.objects.get_for_models(*apps.get_models())


def redis_namespace_clear() -> None:
    """Empty this pytest-xdist worker's share of Redis: its cache keys (both aliases) and its
    broker's keys (tests/settings.py starts them all with the worker's name). The other workers
    share the database, so this deletes by name where cache.clear() would FLUSHDB."""
    if not django_settings.REDIS_URL:
        # Every alias: with the file cache the pages are a folder of their own.
        for each in caches.all():
            each.clear()
        return
    client = _redis_client(django_settings.REDIS_URL)
    keys = list(client.scan_iter(match=django_settings.TEST_REDIS_KEY_PATTERN, count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start:start + 1000])


def broker_queue_length(broker_url: str) -> int:
    """Messages waiting in this worker's Celery queues, every kind's, on the Redis broker at
    broker_url (each queue's list carries this worker's key prefix)."""
    prefix = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    with redis.Redis.from_url(broker_url) as client:
        return sum(client.llen(prefix + queue.name)
                   for queue in django_settings.CELERY_TASK_QUEUES)


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@pytest.fixture(scope="session", autouse=True)
def _transactional_teardown_empties_only_tables_in_use():
    """A transactional test (real commits: live server, worker, concurrency tests) ends as
    Django's does: every table empty but for the rows post_migrate creates (content types,
    permissions, role groups, standard topics, reference rules, default evaluation questions).

    Django truncates all ~80 tables and re-runs every post_migrate receiver, about a second a
    test. Here the first teardown does exactly that and keeps a copy of the rows it leaves;
    every later one empties only the tables that hold rows, with DELETE (Django's foreign keys
    are deferred to the commit), or with TRUNCATE for the append-only tables whose triggers
    refuse a DELETE, and copies the post_migrate rows back (with the same ids)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _tables_in_use_empty)
        yield


_django_fixture_teardown = TransactionTestCase._fixture_teardown
_post_migrate_rows: dict[str, dict[str, bytes]] = {}  # database alias -> table -> COPY text


def _tables_in_use_empty(test_case) -> None:
    aliases = test_case._databases_names(include_mirrors=False)
    if (test_case.available_apps is not None or test_case.serialized_rollback
            or any(connections[alias].vendor != "postgresql" for alias in aliases)):
        return _django_fixture_teardown(test_case)
    for alias in aliases:
        connection = connections[alias]
        if alias not in _post_migrate_rows:
            call_command("flush", verbosity=0, interactive=False, database=alias,
                         reset_sequences=False)
            _post_migrate_rows[alias] = _table_copies(connection)
            continue
        quote = connection.ops.quote_name
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            in_use = _tables_with_rows(cursor, _django_tables(connection))
            guarded = in_use & _tables_refusing_delete(cursor)
            if guarded:  # first: TRUNCATE refuses a table with pending foreign-key checks
                cursor.execute(f"TRUNCATE {', '.join(map(quote, sorted(guarded)))} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in sorted(in_use - guarded):
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, rows in _post_migrate_rows[alias].items():
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))


def _django_tables(connection) -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def _tables_with_rows(cursor, tables: list[str]) -> set[str]:
    cursor.execute(" UNION ALL ".join(
        "SELECT %s WHERE EXISTS (SELECT FROM " + f'"{table}")' for table in tables), tables)
    return {table for (table,) in cursor.fetchall()}


def _tables_refusing_delete(cursor) -> set[str]:
    """Tables with a trigger of the project's own on DELETE (the ledger's, the attempts')."""
    cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                   "WHERE NOT tgisinternal AND tgtype & 8 = 8")
    return {table.strip('"') for (table,) in cursor.fetchall()}


def _table_copies(connection) -> dict[str, bytes]:
    """Each non-empty table's rows in COPY's text format."""
    copies = {}
    with connection.cursor() as cursor:
        for table in _django_tables(connection):
            rows = io.BytesIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", rows)
            if rows.getvalue():
                copies[table] = rows.getvalue()
    return copies


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    user.__dict__.pop("has_mfa", None)
    return user


# The suite's people, made by the fixtures of the same name (and by fixtures of a wider scope,
# like the authorization matrix's world).
PEOPLE = {
    "clinician": lambda: UserFactory(full_name="Priya Raman", email="priya@hospital.example"),
    "other_clinician": lambda: UserFactory(full_name="Sam Ortiz", email="sam@hospital.example"),
    "educator": lambda: _with_totp(UserFactory(
        full_name="Marcus Lee", email="marcus@hospital.example", degree="RN",
        profession="nurse", roles=[Role.CLINICIAN, Role.EDUCATOR])),
    "admin_user": lambda: _with_totp(UserFactory(
        full_name="Dana Whitfield", email="dana@hospital.example", degree="Other",
        profession="other", roles=[Role.CLINICIAN, Role.ADMINISTRATOR])),
}


@pytest.fixture
def clinician(db):
    return PEOPLE["clinician"]()


@pytest.fixture
def other_clinician(db):
    return PEOPLE["other_clinician"]()


@pytest.fixture
def educator(db):
    return PEOPLE["educator"]()


@pytest.fixture
def admin_user(db):
    return PEOPLE["admin_user"]()


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start `celery worker` as a real child process on the test database and broker, for one
    test: a worker left running would take tasks other tests expect to run themselves.

    Yields the folder the worker's file email backend writes to and its MEDIA_ROOT (tests that
    read files the worker stores point their own MEDIA_ROOT there).
    """
    from cpd_portal.celery import app

    with django_db_blocker.unblock():
        database_url = _test_database_url()
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    media_root = tmp_path_factory.mktemp("worker-media")
    log_path = tmp_path_factory.mktemp("worker-log") / "worker.log"
    app.control.purge()  # drop tasks queued by earlier tests that had no worker
    process = start_celery_worker(
        name="test-worker", log_path=log_path,
        env={"DATABASE_URL": database_url, "EMAIL_URL": f"filemail://{mail_dir}",
             "MEDIA_ROOT": str(media_root)})
    yield {"mail_dir": mail_dir, "log_path": log_path, "media_root": media_root}
    stop_process(process)


def start_celery_worker(*, name: str, log_path, env: dict, pool: str = "solo",
                        concurrency: int = 1, queues: tuple[str, ...] = ()) -> subprocess.Popen:
    """A `celery worker` child process with `env` over this one's; returns once it is ready.

    It consumes every queue (as `make run`'s one worker does) unless given `queues`, as a
    deployment's dedicated worker is (`-Q`). A prefork worker leads a process group of its own
    with its pool, so a test can SIGKILL the whole of it as an operator's `kill -9` of a
    container would (os.killpg)."""
    env = {**os.environ, "DB_CONN_MAX_AGE": "0", **env}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cpd_portal", "worker", "--pool", pool,
             "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip",
             "--without-mingle", "--hostname", f"{name}-{os.getpid()}@%h",
             *(["-Q", ",".join(queues)] if queues else [])],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=pool == "prefork",
        )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Celery worker did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    return process


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def email_tasks(callbacks) -> list:
    """The on-commit callbacks that queue an email (others, like cache invalidation, also run)."""
    from accounts.services import outgoing_messages_publish

    return [callback for callback in callbacks
            if getattr(callback, "func", None) is outgoing_messages_publish]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail the test with a message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {predicate.__name__}")


def queued_work(callbacks: list) -> list:
    """The on-commit callbacks a test captured, less the cache layer's: every transaction that
    writes publishes its tables' new versions on commit (caching.invalidation)."""
    return [callback for callback in callbacks
            if not isinstance(getattr(callback, "__self__", None), PendingVersions)]


def module_run_on_sqlite(module: str, tmp_path) -> str:
    """Run `python -m <module>` on the embedded default (a freshly migrated SQLite file, the
    file cache and no Redis, as `make run` on a bare laptop) and return the last line it
    prints."""
    database = tmp_path / "embedded.sqlite3"
    migrated_databases.sqlite_database_copy(database)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cpd_portal.settings",
                   "DATABASE_URL": f"sqlite:///{database}",
                   "VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "media")}
    environment.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-m", module], cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def start_redis_server(port: int, data_dir) -> subprocess.Popen:
    """A throwaway redis-server on `port` (no persistence), for tests that kill their Redis."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(data_dir)], stdout=subprocess.DEVNULL)
    wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"],
                                    capture_output=True).returncode == 0)
    return process


def _postgres_pair_ports() -> list[int]:
    """Two free ports for a private pair: from TEST_POSTGRES_PAIR_PORTS ("55431-55439") when a
    shared machine gives each run a range, each xdist worker starting at its own offset so two
    workers do not probe the same ports at once; otherwise two the operating system picks."""
    from deploy.local.postgres_pair import free_ports

    configured = os.environ.get("TEST_POSTGRES_PAIR_PORTS")
    if not configured:
        return free_ports(2)
    first, last = (int(port) for port in configured.split("-"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    offset = 2 * int(worker) if worker.isdigit() else 0
    ports = list(range(first, last + 1))
    return free_ports(2, ports[offset:] + ports[:offset])


@pytest.fixture(scope="session")
def postgres_pair():
    """A private PostgreSQL primary and streaming replica (deploy/local/postgres_pair.py), built
    once per session and worker under var/ (the postgres OS user must reach it, which pytest's
    private temporary directory would not allow), and removed at the end."""
    import tempfile

    from deploy.local.postgres_pair import PostgresPair

    root = PROJECT_ROOT / "var" / "test-postgres-pairs"
    root.mkdir(parents=True, exist_ok=True)
    pair = PostgresPair(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root),
                        *_postgres_pair_ports())
    try:
        pair.create()
        yield pair
    finally:
        pair.destroy()
