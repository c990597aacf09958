"""Reads for board reporting: the office dashboard's counts and rows (fixed queries), the
learner's transcript notes, and which reports the hourly tick should send."""
import datetime
from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone

from courses.credit_types import CreditType
from credits.boards.models import BoardReport

REPORTED_CREDIT_TYPES = {CreditType.ACPE, CreditType.ABIM_MOC}
OPEN = [BoardReport.Status.PENDING, BoardReport.Status.SENT, BoardReport.Status.REJECTED]
DASHBOARD_ROWS = 200
SOON_DAYS = 7


@dataclass
class BoardReportCounts:
    cpe_pending: int
    cpe_rejected: int
    cpe_due_soon: int
    cpe_overdue: int
    cpe_accepted: int
    moc_pending: int
    moc_due_soon: int
    moc_overdue: int

    @property
    def due_soon_total(self) -> int:
        return self.cpe_due_soon + self.cpe_overdue + self.moc_due_soon + self.moc_overdue

    def as_dict(self) -> dict:
        return {**asdict(self), "due_soon_total": self.due_soon_total}


def board_report_counts(*, today: datetime.date) -> BoardReportCounts:
    """One query. "Due soon": open and due within 7 days (today included); "overdue": open and
    past the due date. Pending counts waiting and in-flight reports."""
    soon = today + datetime.timedelta(days=SOON_DAYS)
    cpe = Q(board=BoardReport.Board.CPE_MONITOR)
    moc = Q(board=BoardReport.Board.ABIM_MOC)
    is_open = Q(status__in=OPEN)
    due_soon = is_open & Q(due_on__gte=today, due_on__lte=soon)
    overdue = is_open & Q(due_on__lt=today)
    pending = Q(status__in=[BoardReport.Status.PENDING, BoardReport.Status.SENT])
    figures = BoardReport.objects.aggregate(
        cpe_pending=Count("pk", filter=cpe & pending),
        cpe_rejected=Count("pk", filter=cpe & Q(status=BoardReport.Status.REJECTED)),
        cpe_due_soon=Count("pk", filter=cpe & due_soon),
        cpe_overdue=Count("pk", filter=cpe & overdue),
        cpe_accepted=Count("pk", filter=cpe & Q(status=BoardReport.Status.ACCEPTED)),
        moc_pending=Count("pk", filter=moc & is_open),
        moc_due_soon=Count("pk", filter=moc & due_soon),
        moc_overdue=Count("pk", filter=moc & overdue),
    )
    return BoardReportCounts(**figures)


def board_reports_open(*, limit: int = DASHBOARD_ROWS) -> list[BoardReport]:
    """Open reports, earliest deadline first, with learner and activity: one query."""
    return list(BoardReport.objects.filter(status__in=OPEN)
                .select_related("credit_record__user", "credit_record__course")
                .order_by("due_on", "pk")[:limit])


def board_reports_to_send(*, now: datetime.datetime) -> list[int]:
    """CPE Monitor reports the tick sends: pending and not waiting for a retry, or left "sent"
    by a worker that died mid-call."""
    from credits.boards.services import STALE_SENT_MINUTES

    stale = now - datetime.timedelta(minutes=STALE_SENT_MINUTES)
    return list(BoardReport.objects.filter(board=BoardReport.Board.CPE_MONITOR).filter(
        Q(status=BoardReport.Status.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=BoardReport.Status.SENT, sent_at__lt=stale),
    ).order_by("due_on").values_list("pk", flat=True)[:500])


@dataclass(frozen=True)
class BoardNote:
    """A line under a transcript row: what happened to the report, or what to fix."""

    text: str
    tone: str  # "done", "todo", "error"
    link_url: str = ""
    link_text: str = ""




def _date(value) -> str:
    value = timezone.localtime(value) if isinstance(value, datetime.datetime) else value
    return formats.date_format(value, "j M Y")


def board_note(report: BoardReport) -> BoardNote | None:
    profile = reverse("accounts:profile") + "#id_nabp_eprofile_id"
    if report.board == BoardReport.Board.CPE_MONITOR:
        if report.status == BoardReport.Status.ACCEPTED:
            return BoardNote(f"Reported to CPE Monitor on {_date(report.reported_at)}", "done")
        if report.status == BoardReport.Status.REJECTED:
            if report.fix_by == BoardReport.FixBy.LEARNER:
                return BoardNote(
                    f"CPE Monitor did not accept this: {report.message} Check your NABP "
                    f"e-Profile ID and birth month and day; the CME office then sends it "
                    f"again (deadline {_date(report.due_on)}).", "error", profile,
                    "Check your profile")
            return BoardNote("CPE Monitor did not accept this yet; the CME office is "
                             "correcting it.", "todo")
        if report.status in (BoardReport.Status.PENDING, BoardReport.Status.SENT):
            return BoardNote(f"To be reported to CPE Monitor by {_date(report.due_on)}", "todo")
        return None
    if report.status == BoardReport.Status.ACCEPTED:
        return BoardNote(f"Reported to ABIM through ACCME PARS on {_date(report.reported_at)}",
                         "done")
    if report.status in OPEN:
        return BoardNote(f"To be reported to ABIM through ACCME PARS by {_date(report.due_on)}",
                         "todo")
    return None


def board_notes_for(records) -> dict[int, BoardNote]:
    """Transcript hook (credits.ledger.transcript): notes for these records in one query."""
    ids = [record.pk for record in records if record.credit_type in REPORTED_CREDIT_TYPES]
    if not ids:
        return {}
    notes = {}
    for report in BoardReport.objects.filter(credit_record_id__in=ids):
        note = board_note(report)
        if note:
            notes[report.credit_record_id] = note
    return notes
