"""Late-claim requests: a learner who missed the check-in asks, the coordinator approves
(recorded present as the director's row, audited, within the yearly allowance) or refuses
(the learner is emailed the reason once)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import OutgoingMessage
from credits.ledger.selectors import claim_status_for
from credits.models import Attendance, AttendanceChange
from credits.series.models import LateClaimRequest
from tests.credits.series.world import coordinator_user, next_tuesday_morning, ten_week_series
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_series(educator, clinician):
    """Grand rounds whose first three sessions took place in the past weeks."""
    grace = coordinator_user()
    first = next_tuesday_morning() - datetime.timedelta(weeks=3)
    course, sessions = ten_week_series(educator, coordinator=grace, first=first)
    EnrolmentFactory(course=course, user=clinician)
    return grace, course, sessions


def _ask(client, session, reason="The check-in code was never shown; I sat in row C."):
    return client.post(reverse("series:late_claim", args=[session.pk]), {"reason": reason})


def test_a_late_claim_approved_records_the_learner_present_once(client, clinician,
                                                                held_series):
    grace, course, sessions = held_series
    client.force_login(clinician)
    assert "Missed the check-in?" in client.get(
        reverse("series:late_claim", args=[sessions[0].pk])).text
    assert _ask(client, sessions[0]).status_code == 302
    assert "already asked" in _ask(client, sessions[0]).text  # a double click counts once
    assert "once the session has ended" in _ask(client, sessions[5]).text
    claim = LateClaimRequest.objects.get()
    assert claim.status == "open" and claim.user == clinician

    client.force_login(grace)
    page = client.get(reverse("series:coordinator", args=[course.pk])).text
    assert "row C" in page
    approve = reverse("series:late_claim_approve", args=[claim.pk])
    assert client.post(approve).status_code == 302
    client.post(approve)  # a second click changes nothing
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == ("approved", grace)
    attendance = Attendance.objects.get(session=sessions[0], user=clinician)
    assert (attendance.status, attendance.source, attendance.minutes_attended,
            attendance.recorded_by) == ("present", "roster", None, grace)
    [change] = AttendanceChange.objects.filter(attendance=attendance)
    assert change.actor == grace and "row C" in change.reason and change.before is None
    assert claim_status_for(user=clinician, course=course).options[0].maximum == Decimal("1.00")


def test_approvals_stop_at_the_yearly_allowance(client, clinician, held_series):
    grace, course, sessions = held_series
    course.coordination.late_claims_per_year = 1
    course.coordination.save()
    client.force_login(clinician)
    _ask(client, sessions[0])
    _ask(client, sessions[1])
    first, second = LateClaimRequest.objects.order_by("session__starts_at")
    client.force_login(grace)
    client.post(reverse("series:late_claim_approve", args=[first.pk]))
    response = client.post(reverse("series:late_claim_approve", args=[second.pk]), follow=True)
    if first.session.starts_at.year == second.session.starts_at.year:
        assert "limit set for it" in response.text
        second.refresh_from_db()
        assert second.status == "open"
        assert Attendance.objects.filter(user=clinician).count() == 1


def test_a_late_claim_refused_emails_the_learner_the_reason_once(client, clinician,
                                                                 held_series):
    grace, course, sessions = held_series
    client.force_login(clinician)
    _ask(client, sessions[1], reason="I was there.")
    claim = LateClaimRequest.objects.get()
    client.force_login(grace)
    refuse = reverse("series:late_claim_refuse", args=[claim.pk])
    response = client.post(refuse, {f"r{claim.pk}-reason": " "}, follow=True)
    assert "Give the learner a reason" in response.text
    reason = "You were on the ward roster in theatre 4 during grand rounds."
    client.post(refuse, {f"r{claim.pk}-reason": reason})
    client.post(refuse, {f"r{claim.pk}-reason": reason})  # a second click
    claim.refresh_from_db()
    assert (claim.status, claim.refusal_reason) == ("refused", reason)
    [email] = OutgoingMessage.objects.filter(kind="late_claim_refused")
    assert email.recipient == clinician and email.context["reason"] == reason
    assert not Attendance.objects.filter(user=clinician).exists()

    client.force_login(clinician)
    page = client.get(reverse("series:late_claim", args=[sessions[1].pk])).text
    assert "theatre 4" in page and "Send the request" in page  # may ask again


def test_only_an_enrolled_learner_may_ask_and_only_coordinators_decide(
        client, other_clinician, clinician, held_series):
    grace, course, sessions = held_series
    client.force_login(other_clinician)
    assert _ask(client, sessions[0]).status_code == 404
    client.force_login(clinician)
    _ask(client, sessions[0])
    claim = LateClaimRequest.objects.get()
    assert client.post(reverse("series:late_claim_approve", args=[claim.pk])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "open"


def test_the_course_page_offers_the_request_for_past_sessions_to_enrolled_learners(
        client, clinician, other_clinician, held_series):
    _grace, course, sessions = held_series
    link = reverse("series:late_claim", args=[sessions[0].pk])
    client.force_login(clinician)
    assert link in client.get(course.get_absolute_url()).text
    client.force_login(other_clinician)
    assert link not in client.get(course.get_absolute_url()).text
