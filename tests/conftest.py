"""Fixtures for the whole suite: role users, a temporary MEDIA_ROOT, a clean cache, and a real
Celery worker process for tests that need one."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import caches
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.roles import Role
from cpd_portal.caching.invalidation import PendingVersions
from tests.factories import UserFactory

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The fuzz tests (tests/**/test_*_fuzz.py): no example database in the checkout, no per-example
# deadline (a request is timed by the suite, not by Hypothesis), and a case count kept modest so
# the suite stays within its time. HYPOTHESIS_PROFILE=thorough runs ten times as many.
hypothesis_settings.register_profile(
    "suite", max_examples=200, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example])
hypothesis_settings.register_profile("thorough", parent=hypothesis_settings.get_profile("suite"),
                                     max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# The local OpenID Connect provider, for the SSO tests and the SSO browser journey.
pytest_plugins = ["tests.accounts.sso.idp_harness"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing strength is not under test; PBKDF2 would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the (real) cache; one test's sign-ins must not throttle another.
    # Every alias: with the file cache (no REDIS_URL) the pages are a folder of their own.
    for each in caches.all():
        each.clear()
    yield


@pytest.fixture
def clinician(db):
    return UserFactory(full_name="Priya Raman", email="priya@hospital.example")


@pytest.fixture
def other_clinician(db):
    return UserFactory(full_name="Sam Ortiz", email="sam@hospital.example")


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    user.__dict__.pop("has_mfa", None)
    return user


@pytest.fixture
def educator(db):
    return _with_totp(UserFactory(full_name="Marcus Lee", email="marcus@hospital.example",
                                  degree="RN", profession="nurse",
                                  roles=[Role.CLINICIAN, Role.EDUCATOR]))


@pytest.fixture
def admin_user(db):
    return _with_totp(UserFactory(full_name="Dana Whitfield", email="dana@hospital.example",
                                  degree="Other", profession="other",
                                  roles=[Role.CLINICIAN, Role.ADMINISTRATOR]))


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


def start_celery_worker(*, name: str, log_path, env: dict) -> subprocess.Popen:
    """A `celery worker` child process with `env` over this one's; returns once it is ready."""
    env = {**os.environ, "DB_CONN_MAX_AGE": "0", **env}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cpd_portal", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "--hostname", f"{name}-{os.getpid()}@%h"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
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
    """Run `python -m <module>` on the embedded default (a fresh SQLite file, the file cache and
    no Redis, as `make run` on a bare laptop) and return the last line it prints."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cpd_portal.settings",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
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
