"""Building blocks for certificate tests: a course with a session, credit records as the claim
service would write them, and the signal the claim service sends after commit."""
import datetime
import itertools
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from courses.models import Course, CreditDesignation, Session
from credits.certificates.rendering import CertificateContent
from credits.ledger.services import credit_record_create, credit_record_replace, credit_record_void
from credits.models import CreditRecord

_numbers = itertools.count(1)


@pytest.fixture
def tasks_run_in_process():
    """Queued tasks run in this process when the on-commit callbacks run (Task.apply)."""
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def render_retries_recorded(monkeypatch) -> list[int]:
    """The countdowns of the single render task's retries, as they happen."""
    from credits.certificates.tasks import certificate_render

    retries = []
    original_retry = certificate_render.retry
    monkeypatch.setattr(certificate_render, "retry",
                        lambda **kwargs: retries.append(kwargs["countdown"])
                        or original_retry(**kwargs))
    return retries


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


def sample_content(**overrides) -> CertificateContent:
    """A filled-in certificate, without a database row, for rendering tests."""
    values = {
        "language": "en",
        "hospital_name": settings.HOSPITAL_NAME,
        "learner_name": "Priya Raman, MD",
        "activity_kind": "live activity",
        "activity_title": ("Medical Grand Rounds: Advances in Sepsis Recognition and Early "
                           "Management"),
        "activity_dates": "Held Friday 20 November 2026",
        "credits": (("1.50", "AMA PRA Category 1 Credits™"), ("1.50", "ABIM MOC points")),
        "ama_statement": (f"{settings.HOSPITAL_NAME} designates this live activity for a maximum "
                          "of 1.50 AMA PRA Category 1 Credits™. Physicians should claim only the "
                          "credit commensurate with the extent of their participation in the "
                          "activity."),
        "completion_date": "20 November 2026",
        "issue_date": "21 November 2026",
        "verification_code": "K7Q2-M9XD-3HCT-8WNF",
        "verification_url": f"{settings.SITE_URL}/certificates/verify/K7Q2M9XD3HCT8WNF/",
    }
    values.update(overrides)
    return CertificateContent(**values)
