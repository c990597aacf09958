"""The demo, seeded once per test module: each test runs in a savepoint of the module's
transaction, so it sees the whole demo, and what it changes is undone after it."""
import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from cpd_portal.demo.seed import demo_seed


@pytest.fixture(scope="module")
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
    """The demo as seeded for this module (its people as `seeded.people`)."""
    return demo_world


def seed_again(capture) -> None:
    """A second run, its on-commit work run too."""
    with capture(execute=True):
        demo_seed()
