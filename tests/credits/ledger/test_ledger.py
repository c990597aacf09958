"""The credit ledger never loses a record: void with a reason, audit, and a database guard."""
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django.urls import reverse

from credits.ledger.models import CreditRecordDeletionRefused
from credits.ledger.services import (
    credit_record_create,
    credit_record_replace,
    credit_record_void,
)
from credits.ledger.signals import course_credits_changed
from credits.models import CreditRecord, CreditRecordChange
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clinician):
    return credit_record_create(user=clinician, course=CourseFactory(), credit_type="ama_pra_1",
                                amount=Decimal("1.50"), completed_on="2026-11-20",
                                source=CreditRecord.Source.CLAIM, actor=clinician)


def test_void_needs_a_reason(record, admin_user):
    with pytest.raises(ValidationError, match="Give a reason"):
        credit_record_void(record=record, actor=admin_user, reason="  ")
    record.refresh_from_db()
    assert record.status == "active"


def test_void_keeps_the_record_and_audits_before_and_after(record, admin_user):
    credit_record_void(record=record, actor=admin_user, reason="Signed in for a colleague")
    record.refresh_from_db()
    assert (record.status, record.void_reason, record.voided_by) == (
        "voided", "Signed in for a colleague", admin_user)
    change = CreditRecordChange.objects.get(record=record, action="voided")
    assert change.actor == admin_user
    assert change.before["status"] == "active" and change.after["status"] == "voided"
    assert change.before["amount"] == "1.50"


def test_voiding_twice_is_refused(record, admin_user):
    credit_record_void(record=record, actor=admin_user, reason="Duplicate")
    with pytest.raises(ValidationError, match="already voided"):
        credit_record_void(record=record, actor=admin_user, reason="Again")


def test_the_model_refuses_deletion(record):
    with pytest.raises(CreditRecordDeletionRefused):
        record.delete()


def test_raw_sql_delete_is_refused_by_the_database(record):
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM credits_creditrecord WHERE id = %s", [record.pk])
    assert CreditRecord.objects.filter(pk=record.pk).exists()


def test_raw_sql_update_of_the_amount_is_refused_by_the_database(record):
    with pytest.raises(IntegrityError, match="void it and record a new one"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE credits_creditrecord SET amount = 9 WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.amount == Decimal("1.50")


def test_a_voided_record_cannot_be_restored_in_the_database(record, admin_user):
    credit_record_void(record=record, actor=admin_user, reason="Mistake")
    with pytest.raises(IntegrityError, match="cannot be restored"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE credits_creditrecord SET status = 'active', voided_at = NULL, "
                       "void_reason = '' WHERE id = %s", [record.pk])


def test_admin_void_action_asks_for_a_reason_then_voids(client, admin_user, record):
    client.force_login(admin_user)
    url = reverse("admin:credits_creditrecord_changelist")
    response = client.post(url, {"action": "void_selected", ACTION_CHECKBOX_NAME: [record.pk]})
    assert response.status_code == 200
    assert b"Void these records" in response.content
    response = client.post(url, {"action": "void_selected", ACTION_CHECKBOX_NAME: [record.pk],
                                 "apply": "1", "reason": ""})
    assert b"This field is required" in response.content
    record.refresh_from_db()
    assert record.status == "active"
    response = client.post(url, {"action": "void_selected", ACTION_CHECKBOX_NAME: [record.pk],
                                 "apply": "1", "reason": "Left after ten minutes"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.void_reason) == ("voided", "Left after ten minutes")
    assert CreditRecordChange.objects.get(record=record, action="voided").actor == admin_user


def test_admin_offers_no_delete(client, admin_user, record):
    client.force_login(admin_user)
    response = client.get(reverse("admin:credits_creditrecord_delete", args=[record.pk]))
    assert response.status_code == 403


def test_a_record_added_in_the_admin_is_audited(client, admin_user, clinician):
    course = CourseFactory()
    client.force_login(admin_user)
    response = client.post(reverse("admin:credits_creditrecord_add"), {
        "user": clinician.pk, "course": course.pk, "credit_type": "ama_pra_1", "amount": "2.00",
        "completed_on": "2026-11-01", "source": "administrator"})
    assert response.status_code == 302, response.content
    record = CreditRecord.objects.get(user=clinician)
    change = record.changes.get()
    assert (change.action, change.actor, change.after["amount"]) == ("created", admin_user,
                                                                     "2.00")


def test_an_existing_record_is_read_only_in_the_admin(client, admin_user, record):
    client.force_login(admin_user)
    url = reverse("admin:credits_creditrecord_change", args=[record.pk])
    assert b'name="amount"' not in client.get(url).content
    client.post(url, {"amount": "9.00", "completed_on": "2020-01-01"})
    record.refresh_from_db()
    assert (record.amount, str(record.completed_on)) == (Decimal("1.50"), "2026-11-20")


def test_voiding_course_credit_tells_listeners_once_after_commit(
        record, admin_user, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["user_id"], kwargs["course_id"]))

    course_credits_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            credit_record_replace(record=record, amount=Decimal("1.00"), actor=admin_user,
                                  reason="Left early")
    finally:
        course_credits_changed.disconnect(listener)
    assert received == [(record.user_id, record.course_id)]
