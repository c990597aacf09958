"""The demo, seeded once for this package: every test that reads the seeded demo lives here (the
demo's own checks, the cached parts' coverage, the translated learner pages, the SQLite parity
walk); the seed command's own tests, which commit, stay outside, in tests/demo/. Each test runs in a
savepoint of the package's transaction, so it sees the whole demo, and what it changes is undone
after it. tests/conftest.py hands the package's tests to one pytest-xdist worker, so the suite seeds
the demo (about 13,000 queries) once."""
import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from cpd_portal.demo.seed import demo_seed


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            # The suite's per-test settings (tests/conftest.py) are not applied yet. The
            # on-commit work runs as `make run`'s commit runs it: certificates issued, board
            # reports made (the PDFs are the worker's, not rendered here).
            with (override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
                                    PASSWORD_HASHERS=["django.contrib.auth.hashers."
                                                      "MD5PasswordHasher"]),
                  TestCase.captureOnCommitCallbacks(execute=True)):
                world = demo_seed()
            yield world
        finally:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def seeded(demo_world, db):
    """The demo as seeded for this package (its people as `seeded.people`)."""
    return demo_world


def seed_again(capture) -> None:
    """A second run, its on-commit work run too."""
    with capture(execute=True):
        demo_seed()
