"""Building blocks for certificate tests: a course with a session, credit records as the claim
service would write them, and the signal the claim service sends after commit."""
import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from courses.models import Course, CreditDesignation, Session
from credits.models import CreditRecord
from credits.signals import course_credits_changed

_numbers = itertools.count(1)


def make_course(title: str = "Medical Grand Rounds: Sepsis Recognition", **fields) -> Course:
    number = next(_numbers)
    course = Course.objects.create(title=title, slug=f"course-{number}-{timezone.now():%f}",
                                   summary="Weekly grand rounds.",
                                   status=Course.Status.PUBLISHED, **fields)
    starts = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
    Session.objects.create(course=course, starts_at=starts,
                           ends_at=starts + datetime.timedelta(minutes=90))
    CreditDesignation.objects.create(course=course, credit_type="ama_pra_1",
                                     max_credits=Decimal("1.50"))
    return course


def claim_credit(user, course, *, credit_type: str = "ama_pra_1", amount: str = "1.50",
                 send: bool = True) -> CreditRecord:
    record = CreditRecord.objects.create(
        user=user, course=course, credit_type=credit_type, amount=Decimal(amount),
        completed_on=datetime.date(2026, 11, 20), claimed_at=timezone.now(),
        source=CreditRecord.Source.CLAIM)
    if send:
        course_credits_changed.send(sender=CreditRecord, user_id=user.pk, course_id=course.pk)
    return record


def void_credit(record: CreditRecord, *, by, reason: str = "Claimed by mistake") -> None:
    record.status = CreditRecord.Status.VOIDED
    record.void_reason = reason
    record.voided_at = timezone.now()
    record.voided_by = by
    record.save()
    course_credits_changed.send(sender=CreditRecord, user_id=record.user_id,
                                course_id=record.course_id)


def change_credit(record: CreditRecord, *, amount: str) -> None:
    record.amount = Decimal(amount)
    record.save()
    course_credits_changed.send(sender=CreditRecord, user_id=record.user_id,
                                course_id=record.course_id)
