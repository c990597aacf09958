"""When credit for a live session may be claimed, and how much after a late check-in."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.selectors.catalog import course_primary_action
from credits.attendance.services import RosterMark, attendance_check_in, attendance_roster_save
from credits.evaluations.services import evaluation_submit
from credits.learning.selectors import learning_todo_for
from credits.ledger.claims import credit_claim
from credits.ledger.selectors import claim_status_for
from credits.models import CreditRecord, EvaluationResponse
from tests.credits.claim_world import attended_course
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def _course(*, starts_at, minutes=60, credits="1.00", **fields):
    course = CourseFactory(evaluation_required=False, **fields)
    session = SessionFactory(course=course, starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(minutes=minutes),
                             checkin_code="SEPS2S")
    CreditDesignationFactory(course=course, max_credits=Decimal(credits))
    return course, session


def _now():
    return timezone.now().replace(microsecond=0)


def test_credit_for_a_session_still_running_cannot_be_claimed_until_it_ends(client, clinician):
    course, session = _course(starts_at=_now() - datetime.timedelta(minutes=30))
    AttendanceFactory(session=session, user=clinician)
    status = claim_status_for(user=clinician, course=course)
    assert not status.claim_open and not status.can_claim
    assert status.claim_opens_at == session.ends_at
    with pytest.raises(ValidationError, match="once the session has ended"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.00")})
    assert not CreditRecord.objects.exists()
    client.force_login(clinician)
    page = client.get(reverse("ledger:claim", args=[course.slug])).text
    assert "You can claim credit once the session has ended, from" in page
    assert 'type="submit">Claim credit' not in page
    # Once it has ended, the same claim goes through.
    later = claim_status_for(user=clinician, course=course,
                             now=session.ends_at + datetime.timedelta(seconds=1))
    assert later.can_claim


def test_claiming_opens_when_the_last_attended_session_has_ended(clinician):
    course, first = _course(starts_at=_now() - datetime.timedelta(days=7))
    second = SessionFactory(course=course, starts_at=_now() - datetime.timedelta(minutes=10),
                            ends_at=_now() + datetime.timedelta(minutes=50))
    AttendanceFactory(session=first, user=clinician)
    assert claim_status_for(user=clinician, course=course).can_claim  # only the first counts
    AttendanceFactory(session=second, user=clinician)
    status = claim_status_for(user=clinician, course=course)
    assert status.claim_opens_at == second.ends_at and not status.can_claim


def test_my_learning_and_the_course_page_wait_for_the_session_to_end(clinician):
    course, session = _course(starts_at=_now() - datetime.timedelta(minutes=20))
    enrolment = EnrolmentFactory(user=clinician, course=course)
    AttendanceFactory(session=session, user=clinician)
    assert learning_todo_for(user=clinician).claims == []
    action = course_primary_action(course=course, enrolment=enrolment, user=clinician)
    assert action.label == "" and "once the session has ended" in action.note
    after = course_primary_action(course=course, enrolment=enrolment, user=clinician,
                                  now=session.ends_at + datetime.timedelta(minutes=1))
    assert after.label == "Claim credit"


def test_a_check_in_50_minutes_into_an_hour_counts_the_last_10_minutes(client, clinician):
    course, session = _course(starts_at=_now() - datetime.timedelta(hours=3))
    EnrolmentFactory(user=clinician, course=course)
    attendance_check_in(user=clinician, code="SEPS2S",
                        at=session.starts_at + datetime.timedelta(minutes=50))
    status = claim_status_for(user=clinician, course=course)
    # 10 minutes rounded to the nearest quarter hour: 0.25, never the full hour.
    assert status.hours_attended == Decimal("0.25")
    assert status.options[0].maximum == Decimal("0.25")
    [late] = status.late_checkins
    assert (late.minutes_late, late.minutes) == (50, 10)
    with pytest.raises(ValidationError, match="up to 0.25"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.00")})
    client.force_login(clinician)
    page = client.get(reverse("ledger:claim", args=[course.slug])).text
    assert "50 minutes after it started and later than the 15-minute grace period" in page
    assert "only the 10 minutes from your check-in to the end count" in page


def test_a_check_in_within_the_grace_period_counts_the_whole_session(clinician):
    course, session = _course(starts_at=_now() - datetime.timedelta(hours=3))
    EnrolmentFactory(user=clinician, course=course)
    attendance_check_in(user=clinician, code="SEPS2S",
                        at=session.starts_at + datetime.timedelta(minutes=15))
    status = claim_status_for(user=clinician, course=course)
    assert status.options[0].maximum == Decimal("1.00") and status.late_checkins == []


def test_the_grace_period_is_a_setting(clinician, settings):
    settings.CHECKIN_LATE_GRACE_MINUTES = 5
    course, session = _course(starts_at=_now() - datetime.timedelta(hours=3), minutes=90,
                              credits="1.50")
    EnrolmentFactory(user=clinician, course=course)
    attendance_check_in(user=clinician, code="SEPS2S",
                        at=session.starts_at + datetime.timedelta(minutes=10))
    # 80 of 90 minutes: 1.33 h, rounded to 1.25.
    assert claim_status_for(user=clinician, course=course).options[0].maximum == Decimal("1.25")


def test_the_educators_roster_overrides_a_late_check_in(clinician, educator):
    course, session = _course(starts_at=_now() - datetime.timedelta(hours=3), minutes=90,
                              credits="1.50")
    EnrolmentFactory(user=clinician, course=course)
    attendance_check_in(user=clinician, code="SEPS2S",
                        at=session.starts_at + datetime.timedelta(minutes=45))
    assert claim_status_for(user=clinician, course=course).options[0].maximum == Decimal("0.75")
    # The director saw her arrive on time (the badge reader was down) and records 90 minutes.
    attendance_roster_save(session=session, recorded_by=educator,
                           marks={clinician.pk: RosterMark(present=True, minutes_attended=90)})
    status = claim_status_for(user=clinician, course=course)
    assert status.options[0].maximum == Decimal("1.50") and status.late_checkins == []


def test_an_evaluation_and_claim_given_a_past_moment_are_judged_and_dated_then(clinician):
    # The demo replays claims of months ago: the claim window is judged as it stood then, and
    # the record, its audit entry (which the API's change feed orders by) and the evaluation
    # carry that moment.
    course = attended_course(clinician, days_ago=120)
    ended = course.sessions.get().ends_at
    evaluation_submit(user=clinician, course=course, answers={},
                      now=ended + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="claim window closed"):
        credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")})
    then = ended + datetime.timedelta(days=2)
    [record] = credit_claim(user=clinician, course=course, amounts={"ama_pra_1": Decimal("1.50")},
                            now=then)
    assert record.claimed_at == then and record.changes.get(action="created").changed_at == then
    evaluated = EvaluationResponse.objects.get(user=clinician)
    assert evaluated.submitted_at == ended + datetime.timedelta(days=1)
