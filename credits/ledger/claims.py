"""Claiming credit for a course: the rules are checked again inside the transaction that
writes the ledger, so a stale page or a second tab cannot claim what is not allowed."""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from courses.credit_types import credit_amount_display, credit_type_name
from courses.credittypes.selectors import credit_type_info
from courses.models import Course
from credits.ledger.models import CreditRecord
from credits.ledger.selectors import claim_status_for
from credits.ledger.services import (
    course_credits_changed_send_on_commit,
    credit_record_create,
    credit_record_replace,
)


def credit_claim(*, user: User, course: Course, amounts: dict[str, Decimal],
                 now: datetime.datetime | None = None) -> list[CreditRecord]:
    """Record the learner's claim: one credit record per credit type in `amounts`, checked and
    dated at `now` (the present, or a past moment the demo's history replays)."""
    if not amounts:
        raise ValidationError("Choose at least one credit type to claim.")
    with transaction.atomic():
        # Serialise one learner's claims so two tabs cannot both pass the checks below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        status = claim_status_for(user=user, course=course, now=now)
        if status.blocked_reason:
            raise ValidationError(status.blocked_reason)
        options = {option.credit_type: option for option in status.options}
        records = []
        for credit_type, amount in amounts.items():
            option = options.get(credit_type)
            if option is None:
                raise ValidationError(f"{credit_type_name(credit_type)} cannot be claimed for "
                                      "this activity by your profession.")
            if option.claimed is not None:
                raise ValidationError(
                    f"You have already claimed {option.claimed.amount_display} for this "
                    "activity. Change the amount instead of claiming again.")
            if amount not in option.allowed_amounts:
                raise ValidationError(
                    f"You can claim up to {option.maximum_display}, in steps of "
                    f"{credit_type_info(credit_type).step}.")
            try:
                with transaction.atomic():
                    records.append(credit_record_create(
                        user=user, course=course, credit_type=credit_type, amount=amount,
                        completed_on=status.completed_on, source=CreditRecord.Source.CLAIM,
                        actor=user, notify=False, now=now))
            except IntegrityError as error:
                raise ValidationError(
                    f"You have already claimed {credit_type_name(credit_type)} for this "
                    "activity.") from error
        course_credits_changed_send_on_commit(user_id=user.pk, course_id=course.pk)
    return records


def credit_claim_change(*, record: CreditRecord, amount: Decimal, actor: User) -> CreditRecord:
    """Change the amount of a claimed credit: the old record is voided, a new one recorded."""
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != CreditRecord.Status.ACTIVE or record.course_id is None:
            raise ValidationError("That credit record can no longer be changed.")
        status = claim_status_for(user=record.user, course=record.course)
        if not status.window_open:
            raise ValidationError(status.blocked_reason or "The claim window has closed.")
        option = next((o for o in status.options if o.credit_type == record.credit_type), None)
        if option is None or amount not in option.allowed_amounts:
            limit = option.maximum_display if option else "the designated maximum"
            raise ValidationError(f"You can claim up to {limit}, in steps of "
                                  f"{credit_type_info(record.credit_type).step}.")
        if amount == record.amount:
            return record
        replacement = credit_record_replace(
            record=record, amount=amount, actor=actor,
            reason=(f"Amount changed by the learner from "
                    f"{credit_amount_display(record.amount, record.credit_type)} to "
                    f"{credit_amount_display(amount, record.credit_type)}."))
    return replacement
