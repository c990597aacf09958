"""A drill run for a simulated month on a fake clock: morning scans, answers (one wrong), the
spacing, retirement, completion, and then the normal claim and certificate path."""
import datetime
from decimal import Decimal

import pytest

from accounts.models import OutgoingMessage
from credits.certificates.models import Certificate
from credits.drills.models import DrillAnswer, DrillCard, DrillDelivery, DrillEnrolment
from credits.drills.selectors import drill_progress_for
from credits.drills.services import drill_answer_record, drill_deliveries_scan, drill_join
from credits.ledger.claims import credit_claim
from credits.ledger.selectors import claim_status_for
from credits.online.models import ModuleProgress

from .helpers import MONDAY, at, make_drill, right_option, wrong_option

pytestmark = pytest.mark.django_db


def test_a_drill_run_for_a_month_ends_retired_and_claimable(
        clinician, django_capture_on_commit_callbacks):
    course = make_drill(questions=6, credit="1.50")
    drill_join(user=clinician, course=course, now=at(MONDAY, 6))
    wrong_once = set()
    completed_on = None
    for offset in range(31):
        day = MONDAY + datetime.timedelta(days=offset)
        drill_deliveries_scan(now=at(day, 7, 5))
        drill_deliveries_scan(now=at(day, 9, 0))  # a second tick delivers nothing new
        for delivery in DrillDelivery.objects.filter(delivered_on=day, answer__isnull=True):
            # Question 3 is answered wrong the first time it comes.
            wrong = delivery.question.position == 3 and 3 not in wrong_once
            wrong_once.add(delivery.question.position) if wrong else None
            option = (wrong_option if wrong else right_option)(delivery.question_id)
            drill_answer_record(delivery=delivery, user=clinician, option=option,
                                channel="email", now=at(day, 12))
        if completed_on is None and DrillEnrolment.objects.get().completed_at:
            completed_on = day
    assert completed_on is not None and completed_on <= MONDAY + datetime.timedelta(days=30)
    assert not DrillCard.objects.filter(retired_on__isnull=True).exists()
    # Weekends and the once-a-day rule held: no delivery on a Saturday or Sunday, at most two
    # a day, one email a day with questions.
    days = list(DrillDelivery.objects.values_list("delivered_on", flat=True))
    assert all(day.weekday() < 5 for day in days)
    assert max(days.count(day) for day in set(days)) == 2
    assert OutgoingMessage.objects.filter(kind="drill_questions").count() == len(set(days))
    # The wrong answer brought question 3 back the next weekday morning.
    q3 = list(DrillDelivery.objects.filter(question__position=3).order_by("delivered_on")
              .values_list("delivered_on", flat=True))
    assert q3[1] == q3[0] + datetime.timedelta(days=1 if q3[0].weekday() < 4 else 3)
    assert DrillAnswer.objects.filter(is_correct=False).count() == 1
    progress = drill_progress_for(user=clinician, now=at(completed_on, 18))[0]
    assert (progress.retired, progress.total, progress.complete) == (6, 6, True)
    assert progress.next_delivery_on is None
    # Completion is where every online activity's is, so the usual claim path follows.
    module = ModuleProgress.objects.get(user=clinician, course=course)
    assert module.completed_on == completed_on
    status = claim_status_for(user=clinician, course=course)
    assert status.can_claim and status.completed_on == completed_on
    with django_capture_on_commit_callbacks(execute=True):
        records = credit_claim(user=clinician, course=course,
                               amounts={"ama_pra_1": Decimal("1.50")})
    assert [(r.credit_type, r.amount, r.completed_on) for r in records] == [
        ("ama_pra_1", Decimal("1.50"), completed_on)]
    assert Certificate.objects.filter(user=clinician, course=course).exists()
    # After completion the scan leaves the learner alone.
    assert drill_deliveries_scan(now=at(completed_on + datetime.timedelta(days=3))).learners == 0
