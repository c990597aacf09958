"""An HR system syncs completions and credit-record changes nightly by cursor: two syncs get
each change exactly once, ties on the same instant included, and a change still inside the
settle window is held back for the next sync rather than skipped."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tokens import service_token_create
from credits.ledger.services import credit_record_void
from credits.models import Attendance, CreditRecordChange
from credits.online.models import ModuleProgress
from tests.api.api_world import bearer
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import AttendanceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(admin_user, settings):
    settings.API_SYNC_SETTLE_SECONDS = 0
    return service_token_create(actor=admin_user, name="Workday HR sync",
                                scopes=["reports"]).secret


def _sync(client, secret, path, *, since=None, cursor=None, limit=2):
    """Follow next_cursor until has_more is false, as an integration would; returns the items
    and the cursor to keep for next time."""
    items, pages = [], 0
    params = {"limit": limit, **({"cursor": cursor} if cursor else {"since": since})}
    while True:
        body = client.get(path, params, **bearer(secret)).json()
        items += body["results"]
        pages += 1
        params = {"limit": limit, "cursor": body["next_cursor"]}
        if not body["has_more"]:
            return items, body["next_cursor"], pages


def _key(item):
    return (item["kind"], item["session_id"], item["learner"]["id"], item["course_id"])


def test_two_syncs_of_completions_get_each_change_once(client, hr):
    started = timezone.now() - datetime.timedelta(seconds=1)
    grand_rounds = make_course(title="Medical Grand Rounds: Heart Failure Update")
    session = grand_rounds.sessions.get()
    learners = UserFactory.create_batch(5)
    for learner in learners[:3]:
        AttendanceFactory(session=session, user=learner)

    first, cursor, pages = _sync(client, hr, "/api/v1/reports/completions",
                                 since=started.isoformat())
    assert pages == 2  # 3 items, 2 a page
    assert sorted(item["learner"]["id"] for item in first) == sorted(
        learner.pk for learner in learners[:3])

    # During the day: a correction (absent), two more learners, an online completion.
    Attendance.objects.get(user=learners[0]).save()  # re-saved by a roster edit: changed
    correction = Attendance.objects.get(user=learners[1])
    correction.status = Attendance.Status.ABSENT
    correction.save()
    for learner in learners[3:]:
        AttendanceFactory(session=session, user=learner)
    opioids = make_course(title="Safe Opioid Prescribing and Pain Management",
                          format="enduring")
    ModuleProgress.objects.create(user=learners[4], course=opioids, started_at=started,
                                  completed_at=timezone.now(), completed_on=timezone.localdate())

    second, _, _ = _sync(client, hr, "/api/v1/reports/completions", cursor=cursor)
    assert len(second) == len({_key(item) for item in second}) == 5
    assert {(i["learner"]["id"], i["status"]) for i in second} == {
        (learners[0].pk, "present"), (learners[1].pk, "absent"), (learners[3].pk, "present"),
        (learners[4].pk, "present"), (learners[4].pk, "completed")}
    online = next(item for item in second if item["kind"] == "online_completion")
    assert online["activity_title"] == "Safe Opioid Prescribing and Pain Management"
    assert online["session_id"] is None

    # Nothing new: a third sync from the last cursor is empty.
    third, _, _ = _sync(client, hr, "/api/v1/reports/completions",
                        cursor=_sync(client, hr, "/api/v1/reports/completions",
                                     cursor=cursor)[1])
    assert third == []


def test_credit_record_changes_sync_each_change_once_even_on_the_same_instant(
        client, hr, admin_user):
    started = timezone.now() - datetime.timedelta(seconds=1)
    course = make_course(title="Risk Management: Informed Consent and Documentation")
    learners = UserFactory.create_batch(4)
    records = [claim_credit(learner, course, send=False) for learner in learners]
    # Three changes written at the very same instant (a bulk import): the cursor's id breaks
    # the tie, so a page boundary between them neither skips nor repeats one.
    same_instant = timezone.now() - datetime.timedelta(milliseconds=500)
    CreditRecordChange.objects.filter(record__in=records[:3]).update(changed_at=same_instant)

    first, cursor, _ = _sync(client, hr, "/api/v1/reports/credit-records",
                             since=started.isoformat(), limit=1)
    assert [item["record_id"] for item in first] == [r.pk for r in records]

    credit_record_void(record=records[0], actor=admin_user, reason="Claimed twice by mistake")
    late = claim_credit(UserFactory(), course, amount="1.00", send=False)

    second, _, _ = _sync(client, hr, "/api/v1/reports/credit-records", cursor=cursor, limit=1)
    assert [(item["record_id"], item["action"]) for item in second] == [
        (records[0].pk, "voided"), (late.pk, "created")]
    assert second[0]["status"] == "voided"
    assert Decimal(second[1]["amount"]) == Decimal("1.00")
    every = [item["change_id"] for item in first + second]
    assert len(every) == len(set(every)) == CreditRecordChange.objects.filter(
        changed_at__gte=started).count()


def test_a_change_inside_the_settle_window_waits_for_the_next_sync(client, hr, settings):
    """A row stamped before its transaction commits must not fall behind a cursor already
    handed out: feeds stop API_SYNC_SETTLE_SECONDS short of now."""
    settings.API_SYNC_SETTLE_SECONDS = 120
    course = make_course(title="Nursing Skills Day: Central Line Care")
    old = AttendanceFactory(session=course.sessions.get(), user=UserFactory())
    Attendance.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10))
    fresh = AttendanceFactory(session=course.sessions.get(), user=UserFactory())

    first, cursor, _ = _sync(client, hr, "/api/v1/reports/completions",
                             since="2026-01-01T00:00:00Z")
    assert [item["learner"]["id"] for item in first] == [old.user_id]

    # The fresh row "commits late" with a stamp older than now but newer than the cursor.
    Attendance.objects.filter(pk=fresh.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=5))
    second, _, _ = _sync(client, hr, "/api/v1/reports/completions", cursor=cursor)
    assert [item["learner"]["id"] for item in second] == [fresh.user_id]


def test_a_cursor_that_was_not_handed_out_is_refused(client, hr):
    response = client.get("/api/v1/reports/completions", {"cursor": "not-a-cursor"},
                          **bearer(hr))
    assert response.status_code == 422
    assert "cursor is not valid" in response.json()["message"]
