"""Building blocks for certificate tests: a course with a session, credit records as the claim
service would write them, and the signal the claim service sends after commit."""
import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from courses.models import Course, CreditDesignation, Session
from credits.ledger.services import credit_record_create, credit_record_replace, credit_record_void
from credits.models import CreditRecord

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
    """Record claimed credit through the ledger service; with send, listeners hear of it after
    commit, as they do after a real claim."""
    return credit_record_create(
        user=user, course=course, credit_type=credit_type, amount=Decimal(amount),
        completed_on=datetime.date(2026, 11, 20), source=CreditRecord.Source.CLAIM, actor=user,
        notify=send)


def void_credit(record: CreditRecord, *, by, reason: str = "Claimed by mistake") -> None:
    credit_record_void(record=record, actor=by, reason=reason)


def change_credit(record: CreditRecord, *, amount: str) -> None:
    credit_record_replace(record=record, amount=Decimal(amount), actor=record.user,
                          reason="Corrected the hours attended")
