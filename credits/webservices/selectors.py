"""Reads for web-service reporting: what the hourly tick sends, the office page's counts and
rows (fixed queries), and the notes under the learner's transcript rows."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.credittypes.selectors import credit_type_catalog
from credits.webservices.models import Submission

Kind, Status = Submission.Kind, Submission.Status
OPEN = [Status.PENDING, Status.SENT, Status.REJECTED]
PAGE_ROWS = 200
SOON_DAYS = 7
# A row left "sent" this long (its worker died mid-call) is sent again: both services answer a
# repeat as a duplicate naming the record they hold, which counts as accepted.
STALE_SENT_MINUTES = 15
SERVICE_NAMES = {Kind.PARS_LEARNER: "ACCME PARS", Kind.CEB_ROSTER: "CE Broker"}


def submissions_to_send(*, now: datetime.datetime) -> list[int]:
    """Pending and not waiting for a retry, or left "sent" by a worker that died mid-call."""
    stale = now - datetime.timedelta(minutes=STALE_SENT_MINUTES)
    return list(Submission.objects.filter(
        Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=Status.SENT, sent_at__lt=stale),
    # Activities, courses and publishings (no deadline of their own) first: learners wait on
    # them.
    ).order_by(F("due_on").asc(nulls_first=True), "pk").values_list("pk", flat=True)[:500])


@dataclass(frozen=True)
class ServiceCounts:
    pending: int
    rejected: int
    due_soon: int
    overdue: int
    accepted: int
    board_rejected: int


def submission_counts(*, today: datetime.date) -> dict[str, ServiceCounts]:
    """Per service, one query: open counts, rejections, deadlines and boards' refusals."""
    soon = today + datetime.timedelta(days=SOON_DAYS)
    is_open = Q(status__in=OPEN)
    rows = (Submission.objects.values("service").annotate(
        pending=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENT])),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        due_soon=Count("pk", filter=is_open & Q(due_on__gte=today, due_on__lte=soon)),
        overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        board_rejected=Count("pk", filter=Q(board_status=Submission.BoardStatus.REJECTED)),
    ).order_by("service"))
    counts = {service: ServiceCounts(0, 0, 0, 0, 0, 0) for service in Submission.Service.values}
    for row in rows:
        service = row.pop("service")
        counts[service] = ServiceCounts(**row)
    return counts


def submissions_open(*, service: str = "", limit: int = PAGE_ROWS) -> list[Submission]:
    """Open rows and boards' refusals, earliest deadline first, with learner and activity."""
    rows = Submission.objects.filter(
        Q(status__in=OPEN) | Q(board_status=Submission.BoardStatus.REJECTED))
    if service:
        rows = rows.filter(service=service)
    return list(rows.select_related("user", "course").order_by("due_on", "pk")[:limit])


@dataclass(frozen=True)
class SubmissionNote:
    """A line under a transcript row: what happened to the report, or what to fix."""

    text: str
    tone: str  # "done", "todo", "error"
    link_url: str = ""
    link_text: str = ""


def _date(value) -> str:
    value = timezone.localtime(value) if isinstance(value, datetime.datetime) else value
    return formats.date_format(value, "j M Y")


def submission_note(submission: Submission) -> SubmissionNote | None:
    service = SERVICE_NAMES[submission.kind]
    # Where the learner fixes it: their licences (CE Broker), their board and board ID (PARS).
    profile = reverse("accounts:profile") + ("#licences-heading"
                                             if submission.kind == Kind.CEB_ROSTER
                                             else "#id_board_id")
    due = _date(submission.due_on) if submission.due_on else ""
    if submission.board_status == Submission.BoardStatus.REJECTED:
        return SubmissionNote(
            _("Your board did not accept this: %(message)s Correct your certifying board or "
              "board ID; it is then sent again.")
            % {"message": submission.board_message}, "error", profile, _("Correct your profile"))
    if submission.status == Status.ACCEPTED:
        if submission.board_status == Submission.BoardStatus.ACCEPTED:
            return SubmissionNote(_("Reported to %(service)s on %(date)s and accepted by your "
                                    "board") % {"service": service,
                                                "date": _date(submission.accepted_at)}, "done")
        return SubmissionNote(_("Reported to %(service)s on %(date)s")
                              % {"service": service, "date": _date(submission.accepted_at)},
                              "done")
    if submission.status == Status.REJECTED:
        if submission.fix_by == Submission.FixBy.LEARNER:
            return SubmissionNote(
                _("%(service)s did not accept this: %(message)s Correct your profile by "
                  "%(date)s; it is then sent again.")
                % {"service": service, "message": submission.message, "date": due},
                "error", profile, _("Correct your profile"))
        return SubmissionNote(_("%(service)s did not accept this yet; the CME office is "
                                "correcting it.") % {"service": service}, "todo")
    if submission.status in (Status.PENDING, Status.SENT):
        return SubmissionNote(_("To be reported to %(service)s by %(date)s")
                              % {"service": service, "date": due}, "todo")
    return None


def submission_notes_for(records) -> dict[int, SubmissionNote]:
    """Transcript hook (credits.ledger.transcript): the latest learner submission of each
    reported record's course, in one query (none while neither service is configured)."""
    if not (settings.PARS_URL or settings.CE_BROKER_URL):
        return {}
    catalog = credit_type_catalog()
    reported = set(catalog.reported_to("pars")) | set(catalog.reported_to("ce_broker"))
    wanted = [record for record in records if record.credit_type in reported and record.course_id]
    if not wanted:
        return {}
    latest: dict[tuple, Submission] = {}
    for submission in Submission.objects.filter(
            kind__in=list(SERVICE_NAMES), user_id=wanted[0].user_id,
            course_id__in={record.course_id for record in wanted}).order_by("version"):
        latest[(submission.kind, submission.course_id)] = submission
    notes = {}
    for record in wanted:
        kind = (Kind.CEB_ROSTER if catalog[record.credit_type].reported_to == "ce_broker"
                else Kind.PARS_LEARNER)
        submission = latest.get((kind, record.course_id))
        note = submission_note(submission) if submission else None
        if note:
            notes[record.pk] = note
    return notes
