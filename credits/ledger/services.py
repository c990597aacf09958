"""Writes to the credit ledger: recording, voiding and re-recording credit, each audited.

Records are never deleted or edited in place (a trigger refuses it on PostgreSQL): voiding is
the only way out, and a changed amount is a void plus a new record.
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import User
from credits.ledger.models import CreditRecord, CreditRecordChange
from credits.ledger.signals import course_credits_changed


def course_credits_changed_send_on_commit(*, user_id: int, course_id: int | None) -> None:
    """Tell listeners (certificates) once the change is committed; external credit has no
    course and nothing to tell."""
    if course_id is not None:
        transaction.on_commit(lambda: course_credits_changed.send(
            sender=CreditRecord, user_id=user_id, course_id=course_id))


def credit_record_snapshot(*, record: CreditRecord) -> dict:
    """The record's fields as JSON-safe values, for the before/after columns of the audit."""
    data = model_to_dict(record, fields=[
        "user", "course", "external_activity", "credit_type", "amount", "completed_on",
        "claimed_at", "source", "status", "void_reason", "voided_at", "voided_by"])
    for key, value in data.items():
        if isinstance(value, Decimal):
            data[key] = str(value)
        elif hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    data["id"] = record.pk
    return data


def credit_record_create(*, user: User, credit_type: str, amount: Decimal, completed_on,
                         source: str, actor: User | None, course=None, external_activity=None,
                         reason: str = "", notify: bool = True,
                         now: datetime.datetime | None = None) -> CreditRecord:
    """Record credit and its 'created' audit entry, both at `now` (the moment of the claim;
    the demo's history passes a past one).

    `notify=False` lets a caller recording several records send one signal for them all.
    """
    now = now or timezone.now()
    with transaction.atomic():
        record = CreditRecord.objects.create(
            user=user, course=course, external_activity=external_activity,
            credit_type=credit_type, amount=amount, completed_on=completed_on,
            claimed_at=now, source=source)
        CreditRecordChange.objects.create(record=record, actor=actor, action="created",
                                          before=None, after=credit_record_snapshot(record=record),
                                          reason=reason, changed_at=now)
        if notify:
            course_credits_changed_send_on_commit(user_id=user.pk, course_id=record.course_id)
    return record


def credit_record_void(*, record: CreditRecord, actor: User | None, reason: str,
                       notify: bool = True) -> CreditRecord:
    """Void a record with a reason; the record stays in the ledger, struck through."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for voiding this credit record; it is kept in the "
                              "audit trail.")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == CreditRecord.Status.VOIDED:
            raise ValidationError(f"{record.amount_display} was already voided.")
        before = credit_record_snapshot(record=record)
        record.status = CreditRecord.Status.VOIDED
        record.void_reason = reason
        record.voided_at = timezone.now()
        record.voided_by = actor
        record.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
        CreditRecordChange.objects.create(record=record, actor=actor, action="voided",
                                          before=before,
                                          after=credit_record_snapshot(record=record),
                                          reason=reason)
        if notify:
            course_credits_changed_send_on_commit(user_id=record.user_id,
                                                  course_id=record.course_id)
    return record


def credit_record_replace(*, record: CreditRecord, amount: Decimal, actor: User | None,
                          reason: str) -> CreditRecord:
    """Change a record's amount: void it and record the new amount, both audited."""
    with transaction.atomic():
        voided = credit_record_void(record=record, actor=actor, reason=reason, notify=False)
        replacement = credit_record_create(
            user=voided.user, course=voided.course, external_activity=voided.external_activity,
            credit_type=voided.credit_type, amount=amount, completed_on=voided.completed_on,
            source=voided.source, actor=actor, reason=f"Replaces record {voided.pk}: {reason}",
            notify=False)
        course_credits_changed_send_on_commit(user_id=voided.user_id, course_id=voided.course_id)
    return replacement
