"""Report records follow claims (exactly once), the office's dashboard counts and resubmit
button, and the daily digest."""
import datetime
import itertools
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from credits.boards.selectors import board_report_counts
from credits.boards.services import board_reports_digest_queue, board_reports_sync
from credits.boards.tasks import board_reports_tick
from credits.ledger.services import credit_record_void
from credits.models import BoardReport, CreditRecord
from tests.conftest import queued_work
from tests.credits.boards.world import acpe_claim, acpe_course, moc_claim, pharmacist
from tests.factories import CourseFactory, UserFactory
from tests.outbox import send_outgoing_message

pytestmark = pytest.mark.django_db


def test_a_claimed_acpe_credit_gets_one_report_due_60_days_after_the_activity(
        django_capture_on_commit_callbacks):
    ana = pharmacist()
    course = acpe_course(ana, days_ago=3)
    with django_capture_on_commit_callbacks(execute=True):
        record = acpe_claim(ana, course)
    # The signal again (a second claim of another type, a replay): still one report.
    board_reports_sync(user_id=ana.pk, course_id=course.pk)
    report = BoardReport.objects.get()
    assert report.credit_record == record
    assert report.board == BoardReport.Board.CPE_MONITOR
    assert report.due_on == record.completed_on + datetime.timedelta(days=60)


def test_abim_moc_points_get_a_report_due_30_days_after_completion(
        django_capture_on_commit_callbacks):
    physician = UserFactory(full_name="Priya Raman")
    with django_capture_on_commit_callbacks(execute=True):
        record = moc_claim(physician, days_ago=4)
    report = BoardReport.objects.get()
    assert (report.board, report.status) == ("abim_moc", "pending")
    assert report.due_on == record.completed_on + datetime.timedelta(days=30)


def test_credit_other_than_acpe_and_moc_is_not_reported_to_a_board(
        django_capture_on_commit_callbacks, clinician):
    course = CourseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        CreditRecord.objects.create(user=clinician, course=course, credit_type="ama_pra_1",
                                    amount=Decimal("1.00"), completed_on=datetime.date.today(),
                                    claimed_at=timezone.now(), source="claim")
        board_reports_sync(user_id=clinician.pk, course_id=course.pk)
    assert not BoardReport.objects.exists()


def test_voiding_a_credit_before_it_was_sent_withdraws_its_report(
        django_capture_on_commit_callbacks, admin_user):
    ana = pharmacist()
    course = acpe_course(ana)
    with django_capture_on_commit_callbacks(execute=True):
        record = acpe_claim(ana, course)
    with django_capture_on_commit_callbacks(execute=True):
        credit_record_void(record=record, actor=admin_user, reason="Claimed the wrong activity")
    assert BoardReport.objects.get().status == BoardReport.Status.WITHDRAWN


_NUMBERS = itertools.count(1)


def _report(*, board, status, due_in_days, today):
    n = next(_NUMBERS)
    user = UserFactory(full_name=f"Learner {n}")
    course = CourseFactory(title=f"Activity {n}")
    credit_type = "acpe" if board == "cpe_monitor" else "abim_moc"
    record = CreditRecord.objects.create(
        user=user, course=course, credit_type=credit_type, amount=Decimal("1.00"),
        completed_on=today - datetime.timedelta(days=10), claimed_at=timezone.now(),
        source="claim")
    extra = {}
    if status == "accepted":
        extra["reported_at"] = timezone.now()
    if status == "rejected":
        extra = {"message": "Provided DOB is not a match.", "fix_by": "learner"}
    return BoardReport.objects.create(credit_record=record, board=board, status=status,
                                      due_on=today + datetime.timedelta(days=due_in_days),
                                      **extra)


HAND_COUNTED = [  # board, status, days to the deadline
    ("cpe_monitor", "pending", 3),     # pending, due soon
    ("cpe_monitor", "sent", 10),       # pending
    ("cpe_monitor", "rejected", 7),    # rejected, due soon (the 7th day counts)
    ("cpe_monitor", "pending", -1),    # pending, overdue
    ("cpe_monitor", "accepted", 2),    # accepted: none of the open counts
    ("cpe_monitor", "withdrawn", 1),   # withdrawn: nothing
    ("abim_moc", "pending", 5),        # MOC waiting, due soon
    ("abim_moc", "pending", -3),       # MOC waiting, overdue
    ("abim_moc", "accepted", 1),       # uploaded with a PARS file
]


def _hand_counted_world(today):
    return [_report(board=b, status=s, due_in_days=d, today=today) for b, s, d in HAND_COUNTED]


def test_dashboard_counts_match_the_hand_counted_reports():
    today = timezone.localdate()
    _hand_counted_world(today)
    counts = board_report_counts(today=today)
    assert counts.as_dict() == {
        "cpe_pending": 3, "cpe_rejected": 1, "cpe_due_soon": 2, "cpe_overdue": 1,
        "cpe_accepted": 1, "moc_pending": 2, "moc_due_soon": 1, "moc_overdue": 1,
        "due_soon_total": 5}


@pytest.mark.parametrize("copies", [1, 3])
def test_dashboard_page_shows_the_counts_in_fixed_queries(client, admin_user, copies,
                                                         django_assert_num_queries):
    today = timezone.localdate()
    for _ in range(copies):
        _hand_counted_world(today)
    client.force_login(admin_user)
    # session, user, groups, the staff MFA gate's authenticator, counts, open reports
    with django_assert_num_queries(6):
        response = client.get(reverse("boards:dashboard"))
    body = response.content.decode()
    assert f'data-figure="cpe_pending">{3 * copies}<' in body
    assert f'data-figure="cpe_rejected">{copies}<' in body
    assert f'data-figure="cpe_overdue">{copies}<' in body
    assert f'data-figure="moc_due">{2 * copies}<' in body
    assert body.count("Resubmit</button>") == copies
    assert "web service is not configured" in body


def test_resubmit_is_a_post_that_counts_once(client, admin_user,
                                             django_capture_on_commit_callbacks):
    today = timezone.localdate()
    report = _report(board="cpe_monitor", status="rejected", due_in_days=20, today=today)
    client.force_login(admin_user)
    url = reverse("boards:resubmit", args=[report.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)  # a double click or a second tab
    assert len(queued_work(callbacks)) == 1
    assert "queued for CPE Monitor again" in first.content.decode()
    assert "already queued; nothing was sent twice" in second.content.decode()
    report.refresh_from_db()
    assert (report.status, report.resubmitted_by) == ("pending", admin_user)


def test_digest_goes_to_the_office_once_a_day_when_a_deadline_is_within_7_days(admin_user):
    today = timezone.localdate()
    _report(board="cpe_monitor", status="pending", due_in_days=6, today=today)
    assert board_reports_digest_queue(today=today) == 1
    assert board_reports_digest_queue(today=today) == 0  # the second hourly tick of the day
    message = OutgoingMessage.objects.get(kind="board_reports_due")
    assert message.recipient == admin_user
    assert send_outgoing_message(message.pk) == "sent"
    email = mail.outbox[-1]
    assert email.subject == "[CPD Portal] 1 board report due within 7 days"
    assert "NABP CPE Monitor, due within 7 days: 1" in email.body
    assert reverse("boards:dashboard") in email.body
    assert board_reports_digest_queue(today=today + datetime.timedelta(days=1)) == 1


def test_no_digest_when_nothing_is_near_its_deadline(admin_user):
    today = timezone.localdate()
    _report(board="cpe_monitor", status="pending", due_in_days=30, today=today)
    _report(board="cpe_monitor", status="accepted", due_in_days=2, today=today)
    assert board_reports_digest_queue(today=today) == 0


def test_the_tick_without_a_configured_service_sends_nothing_and_queues_the_digest(
        settings, admin_user):
    settings.CPE_MONITOR_URL = ""
    today = timezone.localdate()
    report = _report(board="cpe_monitor", status="pending", due_in_days=2, today=today)
    assert board_reports_tick() == {"queued_submissions": 0, "digests": 1}
    report.refresh_from_db()
    assert report.status == "pending"
