"""Every write through Django's connection renews the versions of the tables it writes, by every
path (save, bulk_create, update, delete, many-to-many, admin action, raw SQL), after it commits;
the writing transaction sees its own change at once, and a rolled-back one leaves nothing behind.
"""
import datetime

import pytest
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import F
from django.db.models.sql import DeleteQuery, InsertQuery, UpdateQuery
from django.utils import timezone

from courses.models import Course, Enrolment, Session, Topic
from cpd_portal.caching.invalidation import PAGES_CACHE, tables_written, versions_read
from cpd_portal.caching.parts import CachedPart
from tests.conftest import redis_namespace_clear
from tests.factories import CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

COURSES, SESSIONS = Course._meta.db_table, Session._meta.db_table


def _every_declared_model():
    models = set()
    for part in CachedPart.registry.values():
        stack = list(part._depends_on)
        while stack:
            item = stack.pop()
            if isinstance(item, CachedPart):
                stack.extend(item._depends_on)
            else:
                models.add(item)
    return sorted(models, key=lambda model: model._meta.db_table)


def _statements(model) -> dict[str, str]:
    """The SQL Django sends for an insert, an update and a delete of `model`'s rows (compiled,
    not run), and the raw statements a person might write by hand."""
    table = model._meta.db_table
    field = next(f for f in model._meta.concrete_fields if not f.primary_key)
    insert = InsertQuery(model)
    insert.insert_values([field], [model(**{field.attname: None})])
    update = model._base_manager.filter(pk__in=[1, 2]).query.chain(UpdateQuery)
    update.add_update_values({field.name: F(field.name)})
    delete = model._base_manager.filter(pk__in=[1, 2]).query.chain(DeleteQuery)
    compile_ = lambda query: query.get_compiler(DEFAULT_DB_ALIAS).as_sql()  # noqa: E731
    return {
        "insert (save, create, bulk_create, m2m add)": compile_(insert)[0][0],
        "update (save, queryset.update, admin list edit)": compile_(update)[0],
        "delete (delete, admin action, m2m remove)": compile_(delete)[0],
        "raw update": f"update {table} set {field.column} = {field.column} where id = 1",
        "raw delete in a CTE": f'WITH gone AS (DELETE FROM "{table}" RETURNING 1) SELECT 1',
        "truncate (flush)": f'TRUNCATE "django_session", "{table}" RESTART IDENTITY',
    }


@pytest.mark.parametrize("model", _every_declared_model(), ids=lambda m: m._meta.db_table)
def test_every_write_statement_of_every_declared_model_names_its_table(model):
    for path, sql in _statements(model).items():
        assert model._meta.db_table in tables_written(sql), (path, sql)


def test_reads_and_locks_write_nothing():
    assert tables_written(str(Course.objects.select_for_update().filter(pk=1).query)) == []
    assert tables_written(f'SELECT * FROM "{COURSES}" WHERE title = \'UPDATE {SESSIONS}\'') == []
    assert tables_written("SAVEPOINT s1") == []


def _committed_version(table: str):
    return caches[PAGES_CACHE].get(f"v:{table}")


@pytest.fixture
def course(db):
    versions_read({COURSES, SESSIONS})  # versions exist before the change
    return SessionFactory(course__title="Sepsis: the first hour").course


@pytest.mark.parametrize("path", ["save", "bulk_create", "update", "delete", "m2m", "raw"])
def test_each_write_path_renews_the_version_once_committed(course, path,
                                                           django_capture_on_commit_callbacks):
    def change():
        if path == "save":
            course.title = "Sepsis: the golden hour"
            course.save()
        elif path == "bulk_create":
            start = timezone.now() + datetime.timedelta(days=5)
            Session.objects.bulk_create([Session(course=course, starts_at=start,
                                                 ends_at=start + datetime.timedelta(hours=1))])
        elif path == "update":
            Session.objects.filter(course=course).update(location="Simulation centre")
        elif path == "delete":
            Session.objects.filter(course=course).delete()
        elif path == "m2m":
            course.topics.add(Topic.objects.first())
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {SESSIONS} SET location = %s WHERE course_id = %s",
                               ["Simulation centre", course.pk])

    table = COURSES if path in ("save", "m2m") else SESSIONS
    if path == "m2m":
        table = Course.topics.through._meta.db_table
        versions_read({table})
    before = versions_read({table})
    committed_before = _committed_version(table)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            change()
        # Seen at once by the writing connection, not yet by anyone else.
        assert versions_read({table}) != before
        assert _committed_version(table) == committed_before
    for callback in callbacks:
        callback()
    assert _committed_version(table) != committed_before


def test_an_admin_action_renews_the_version(admin_client, course,
                                            django_capture_on_commit_callbacks):
    before = _committed_version(COURSES)
    # In a savepoint of its own, as the request's own transaction would be outside the suite.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        admin_client.post("/admin/courses/course/", {
            "action": "delete_selected", "_selected_action": [course.pk], "post": "yes"})
    assert not Course.objects.filter(pk=course.pk).exists()
    assert _committed_version(COURSES) != before


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_renews_the_version_at_once():
    course = SessionFactory().course
    before = _committed_version(SESSIONS)
    assert not connection.in_atomic_block  # autocommit: committed when the statement returns
    Session.objects.filter(course=course).update(location="Simulation centre")
    assert _committed_version(SESSIONS) != before


def test_a_statement_that_changes_no_row_renews_nothing(course):
    before = versions_read({SESSIONS})
    with transaction.atomic():
        Session.objects.filter(pk=-1).update(location="Nowhere")
    assert versions_read({SESSIONS}) == before


def test_a_rolled_back_change_leaves_the_versions_as_they_were(course):
    before = versions_read({COURSES})
    with pytest.raises(RuntimeError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(title="Never committed")
        assert versions_read({COURSES}) != before
        raise RuntimeError
    assert versions_read({COURSES}) == before
    # A second transaction that writes nothing does not inherit the first one's versions.
    with transaction.atomic():
        assert versions_read({COURSES}) == before


def test_a_page_cached_in_a_rolled_back_transaction_is_never_served_after_it():
    """As pytest-django runs each test in a transaction it rolls back: what a test cached from
    its own rows is keyed by versions nobody else will ever see."""
    part = CachedPart.registry["catalog"]
    with pytest.raises(RuntimeError), transaction.atomic():
        CourseFactory(title="Only in the rolled-back test")
        inside = part.key("results", "/courses/")
        raise RuntimeError
    assert part.key("results", "/courses/") != inside
    with transaction.atomic():
        CourseFactory(title="The next test's course")
        assert part.key("results", "/courses/") != inside


def test_an_unknown_or_unwritten_table_changes_no_key(course):
    user = UserFactory()
    key = CachedPart.registry["catalog"].key("results", "/courses/")
    with transaction.atomic():
        Enrolment.objects.filter(pk=-1).update(status="cancelled")
        user.full_name = "Sam Ortiz"  # the user table: not something the catalog reads
        user.save()
    assert CachedPart.registry["catalog"].key("results", "/courses/") == key


def test_a_flushed_cache_gives_every_key_a_new_version():
    """After Redis is emptied (a restart, an eviction) no key made before can come back."""
    key = CachedPart.registry["catalog"].key("results", "/courses/")
    redis_namespace_clear()  # this worker's keys: clear() would FLUSHDB the other workers'
    assert CachedPart.registry["catalog"].key("results", "/courses/") != key
