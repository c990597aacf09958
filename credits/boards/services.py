"""Writes for board reporting: a report record per claimed ACPE credit or ABIM MOC point,
submitting a CPE Monitor record exactly once, resubmitting after a fix, marking MOC rows
uploaded with a PARS learner file, and the office's daily digest."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import outgoing_message_queue
from courses.credit_types import CreditType, acpe_uan_audience, acpe_uan_is_home_study
from courses.models import CreditDesignation
from credits.boards import tasks
from credits.boards.cpe_monitor import Answer, CpeMonitorClient, Outcome, Submission
from credits.boards.models import BoardReport, BoardReportAttempt
from credits.ledger.models import CreditRecord

BOARD_OF_CREDIT_TYPE = {CreditType.ACPE: BoardReport.Board.CPE_MONITOR,
                        CreditType.ABIM_MOC: BoardReport.Board.ABIM_MOC}
# NABP: CPE Monitor must receive a completion within 60 days of the activity; ABIM asks
# providers to report MOC completions through PARS within 30 days.
DAYS_TO_REPORT = {BoardReport.Board.CPE_MONITOR: 60, BoardReport.Board.ABIM_MOC: 30}
DIGEST_DAYS_AHEAD = 7
# A record left "sent" this long (a worker died mid-call) is sent again; CPE Monitor answers
# a repeat with "duplicate", which counts as accepted.
STALE_SENT_MINUTES = 15


def _queue_submit(report_id: int) -> None:
    tasks.cpe_monitor_submit.delay_on_commit(report_id)


def board_reports_sync(*, user_id: int, course_id: int) -> list[BoardReport]:
    """Give each active ACPE and ABIM MOC record of this learner and course its report (once:
    the credit record is the unique key), and withdraw unsent reports of voided records."""
    created = []
    with transaction.atomic():
        records = CreditRecord.objects.filter(
            user_id=user_id, course_id=course_id, credit_type__in=list(BOARD_OF_CREDIT_TYPE))
        reported = set(BoardReport.objects.filter(credit_record__in=records)
                       .values_list("credit_record_id", flat=True))
        for record in records:
            if record.status != CreditRecord.Status.ACTIVE or record.pk in reported:
                continue
            board = BOARD_OF_CREDIT_TYPE[record.credit_type]
            if board == BoardReport.Board.ABIM_MOC and settings.PARS_URL:
                continue  # PARS's web service carries MOC points (credits.webservices)
            due_on = record.completed_on + datetime.timedelta(days=DAYS_TO_REPORT[board])
            try:
                with transaction.atomic():
                    report = BoardReport.objects.create(credit_record=record, board=board,
                                                        due_on=due_on)
            except IntegrityError:  # the same claim's signal handled by another process
                continue
            created.append(report)
            if board == BoardReport.Board.CPE_MONITOR:
                _queue_submit(report.pk)
        BoardReport.objects.filter(
            credit_record__in=records.filter(status=CreditRecord.Status.VOIDED),
            status=BoardReport.Status.PENDING,
        ).update(status=BoardReport.Status.WITHDRAWN, updated_at=timezone.now())
    return created


def _submission_for(report: BoardReport) -> Submission | Answer:
    """What CPE Monitor needs, or the rejection to record without calling it."""
    record = report.credit_record
    user = record.user
    if not (user.nabp_eprofile_id and user.birth_month and user.birth_day):
        return Answer(Outcome.REJECTED, "PROFILE_INCOMPLETE",
                      "Your profile lacks your NABP e-Profile ID or your birth month and day, "
                      "which CPE Monitor needs to match you.", fix_by="learner")
    uan = (CreditDesignation.objects.filter(course_id=record.course_id,
                                            credit_type=CreditType.ACPE)
           .values_list("acpe_uan", flat=True).first())
    if not uan:
        return Answer(Outcome.REJECTED, "UAN_MISSING",
                      "The activity has no ACPE universal activity number.", fix_by="office")
    return Submission(
        eprofile_id=user.nabp_eprofile_id,
        birth_mmdd=f"{user.birth_month:02d}-{user.birth_day:02d}",
        participation_date=record.completed_on.strftime("%m-%d-%Y"), uan=uan,
        participant_type=acpe_uan_audience(uan), title=record.course.title,
        home_study=acpe_uan_is_home_study(uan))


def _claim_for_sending(report_id: int, now: datetime.datetime) -> BoardReportAttempt | None:
    """Lock the row; only a pending report (or one left "sent" by a dead worker) is sent, and
    it is marked sent before the call, so a second delivery or a second worker sends nothing."""
    with transaction.atomic():
        report = (BoardReport.objects.select_for_update(of=("self",))
                  .select_related("credit_record__user", "credit_record__course")
                  .filter(pk=report_id, board=BoardReport.Board.CPE_MONITOR).first())
        if report is None:
            return None
        stale = (report.status == BoardReport.Status.SENT and report.sent_at is not None
                 and report.sent_at < now - datetime.timedelta(minutes=STALE_SENT_MINUTES))
        if report.status != BoardReport.Status.PENDING and not stale:
            return None
        if report.credit_record.status != CreditRecord.Status.ACTIVE:
            report.status = BoardReport.Status.WITHDRAWN
            report.save(update_fields=["status", "updated_at"])
            return None
        report.status = BoardReport.Status.SENT
        report.attempts += 1
        report.sent_at = now
        report.next_attempt_at = None
        report.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at",
                                   "updated_at"])
        return BoardReportAttempt.objects.create(report=report, number=report.attempts,
                                                 started_at=now,
                                                 requested_by=report.resubmitted_by)


def _record_answer(attempt: BoardReportAttempt, answer: Answer, *,
                   retry_at: datetime.datetime | None, now: datetime.datetime) -> BoardReport:
    with transaction.atomic():
        report = BoardReport.objects.select_for_update().get(pk=attempt.report_id)
        attempt.finished_at, attempt.outcome = now, answer.outcome
        attempt.http_status, attempt.response_code = answer.http_status, answer.code
        attempt.message = answer.message
        attempt.save()
        report.response_code, report.message = answer.code, answer.message
        if answer.outcome == Outcome.ACCEPTED:
            report.status, report.reported_at, report.fix_by = (
                BoardReport.Status.ACCEPTED, now, BoardReport.FixBy.NOBODY)
        elif answer.outcome == Outcome.REJECTED:
            report.status, report.fix_by = BoardReport.Status.REJECTED, answer.fix_by
        else:
            report.status, report.next_attempt_at = BoardReport.Status.PENDING, retry_at
        report.save()
    return report


def cpe_monitor_submit(*, report_id: int, retry_in_seconds: float | None = None,
                       client: CpeMonitorClient | None = None,
                       now: datetime.datetime | None = None) -> str:
    """Send one report to CPE Monitor at most once per claim of the row and record the answer.

    Returns "accepted", "rejected", "transient" (the caller retries), "not_configured" (no
    CPE_MONITOR_URL: the record stays pending) or "skipped" (already sent or not pending).
    `client` is the configured CPE Monitor unless given (the demo replays an answer of the
    past with its own, dated `now`).
    """
    client = client or CpeMonitorClient.from_settings()
    if client is None:
        return "not_configured"
    sent_at = now or timezone.now()
    attempt = _claim_for_sending(report_id, sent_at)
    if attempt is None:
        return "skipped"
    submission = _submission_for(attempt.report)
    answer = submission if isinstance(submission, Answer) else client.submit(submission)
    retry_at = (sent_at + datetime.timedelta(seconds=retry_in_seconds)
                if answer.outcome == Outcome.TRANSIENT and retry_in_seconds is not None else None)
    # The answer's time is when it came back, unless the moment was given.
    _record_answer(attempt, answer, retry_at=retry_at, now=now or timezone.now())
    return answer.outcome


def board_report_resubmit(*, report: BoardReport, actor: User) -> BoardReport:
    """Send a rejected report again (after the learner fixed their profile or the office the
    activity). A second click or a replayed form finds it pending and changes nothing."""
    if not actor.is_administrator:
        raise ValidationError("Only the CME office can resubmit reports.")
    with transaction.atomic():
        report = BoardReport.objects.select_for_update().get(pk=report.pk)
        if report.board != BoardReport.Board.CPE_MONITOR:
            raise ValidationError("ABIM MOC rows are reported with the PARS learner file; "
                                  "mark the uploaded file on the report's page instead.")
        if report.status != BoardReport.Status.REJECTED:
            return report
        report.status = BoardReport.Status.PENDING
        report.fix_by = BoardReport.FixBy.NOBODY
        report.resubmitted_by, report.resubmitted_at = actor, timezone.now()
        report.next_attempt_at = None
        report.save()
        _queue_submit(report.pk)
    return report


def moc_reports_mark_uploaded(*, credit_record_ids, reference: str, actor: User) -> int:
    """MOC rows whose credit went into a PARS learner file the office uploaded: reported.
    Returns how many changed (a second marking of the same file changes none)."""
    if not actor.is_administrator:
        raise ValidationError("Only the CME office can mark a PARS file uploaded.")
    now = timezone.now()
    with transaction.atomic():
        return BoardReport.objects.filter(
            board=BoardReport.Board.ABIM_MOC, credit_record_id__in=list(credit_record_ids),
            status__in=[BoardReport.Status.PENDING, BoardReport.Status.REJECTED],
        ).update(status=BoardReport.Status.ACCEPTED, reported_at=now, reference=reference[:100],
                 fix_by=BoardReport.FixBy.NOBODY, message="", updated_at=now)


def board_reports_digest_queue(*, today: datetime.date) -> int:
    """Email each CME office administrator once a day when a report is due within 7 days (or
    overdue) and not yet reported. The outbox key (kind, day) makes a second run a no-op."""
    from credits.boards.selectors import board_report_counts

    counts = board_report_counts(today=today)
    if not counts.due_soon_total:
        return 0
    context = {"counts": counts.as_dict(), "today": today.isoformat(),
               "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("boards:dashboard")}
    queued = 0
    with transaction.atomic():
        for admin in User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True):
            if outgoing_message_queue(recipient=admin, kind="board_reports_due",
                                      object_key="board-reports", occurrence=today.isoformat(),
                                      context=context):
                queued += 1
    return queued
