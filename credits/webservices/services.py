"""Writes for web-service reporting: the submissions a claim owes ACCME PARS and CE Broker
(once each: the natural key is unique), a correction as a new version, the office's resubmit,
the learner's fixed profile sent again, and the boards' answers on MOC records."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import outgoing_message_queue
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course, CreditDesignation
from credits.ledger.models import CreditRecord
from credits.webservices import tasks
from credits.webservices.models import Submission, SubmissionAttempt
from credits.webservices.outgoing import identity_for
from credits.webservices.pars import ParsClient
from credits.webservices.transport import Outcome

# The office's target: reported within 30 days of the completion (ABIM's expectation for MOC
# through PARS; the same for CE Broker, whose boards set their own deadlines).
DAYS_TO_REPORT = 30
BOARD_POLL_HOURS = 6
Kind, Status = Submission.Kind, Submission.Status
UNSENT = [Status.PENDING, Status.REJECTED, Status.WITHDRAWN]


def _queue(submission_id: int) -> None:
    tasks.submission_send.delay_on_commit(submission_id)


def _amounts(records, codes) -> Decimal:
    return records.filter(credit_type__in=list(codes)).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")


def _subject(*, kind: str, course: Course, service: str, values: dict,
             user: User | None = None, live_date: datetime.date | None = None,
             due_on: datetime.date | None = None) -> Submission | None:
    """The latest version of this subject, made or brought up to date. A value change of one
    not yet at the service is made in place; of one the service holds, a new version (the
    correction; its send deletes the old record first). Returns a row to send, or None."""
    key = {"kind": kind, "course": course, "user": user, "live_date": live_date}
    latest = (Submission.objects.select_for_update().filter(**key).order_by("-version").first())
    if latest is None:
        if not values:
            return None
        try:
            with transaction.atomic():
                return Submission.objects.create(**key, service=service, values=values,
                                                  due_on=due_on)
        except IntegrityError:  # the same claim's signal in another process
            return None
    if latest.values == values:
        return None
    if latest.status in UNSENT:
        latest.values = values
        latest.status = Status.PENDING if values else Status.WITHDRAWN
        latest.fix_by, latest.next_attempt_at = Submission.FixBy.NOBODY, None
        latest.save()
        return latest if values else None
    if kind != Kind.PARS_LEARNER:
        return None  # CE Broker courses and rosters are not corrected by the portal
    return Submission.objects.create(**key, service=service, values=values, due_on=due_on,
                                     version=latest.version + 1, corrects=latest)


def _pars_rows(*, user: User, course: Course, records) -> list[Submission]:
    catalog = credit_type_catalog()
    moc_codes = {code for code in catalog.reported_to("pars") if code.endswith("_moc")}
    cme_codes = set(catalog.reported_to("pars")) - moc_codes
    moc, cme = _amounts(records, moc_codes), _amounts(records, cme_codes)
    designations = CreditDesignation.objects.filter(course=course)
    moc_designation = designations.filter(credit_type__in=list(moc_codes)).first()
    activity_values = {
        "max_credits": str(designations.filter(credit_type__in=list(cme_codes)).aggregate(
            top=Max("max_credits"))["top"] or Decimal("0")),
        "moc_board": moc_designation.credit_type.removesuffix("_moc").upper()
        if moc_designation else "",
        "moc_points": str(moc_designation.max_credits) if moc_designation else ""}
    rows = []
    activity = Submission.objects.filter(kind=Kind.PARS_ACTIVITY, course=course).first()
    if (moc or cme) and activity is None:
        rows.append(_subject(kind=Kind.PARS_ACTIVITY, course=course, service="pars",
                             values=activity_values))
    completed = records.aggregate(last=Max("completed_on"))["last"]
    values = ({"cme_credits": str(cme), "moc_points": str(moc),
               "completed_on": completed.isoformat()} if (moc or cme) else {})
    rows.append(_subject(kind=Kind.PARS_LEARNER, course=course, service="pars", user=user,
                         values=values,
                         due_on=completed + datetime.timedelta(days=DAYS_TO_REPORT)
                         if completed else None))
    return rows


def _ce_broker_rows(*, user: User, course: Course, records) -> list[Submission]:
    hours = _amounts(records, credit_type_catalog().reported_to("ce_broker"))
    if not hours:
        return [_subject(kind=Kind.CEB_ROSTER, course=course, service="ce_broker", user=user,
                         values={})]
    completed = records.filter(credit_type__in=credit_type_catalog().reported_to(
        "ce_broker")).aggregate(last=Max("completed_on"))["last"]
    designated = CreditDesignation.objects.filter(
        course=course, credit_type__in=credit_type_catalog().reported_to("ce_broker"),
    ).aggregate(top=Max("max_credits"))["top"] or hours
    rows = [_subject(kind=Kind.CEB_COURSE, course=course, service="ce_broker",
                     values={"hours": str(designated)})
            if not Submission.objects.filter(kind=Kind.CEB_COURSE, course=course).exists()
            else None]
    if course.format == Course.Format.LIVE:
        rows.append(_subject(kind=Kind.CEB_PUBLISHING, course=course, service="ce_broker",
                             live_date=completed, values={"date": completed.isoformat()}))
    rows.append(_subject(kind=Kind.CEB_ROSTER, course=course, service="ce_broker", user=user,
                         values={"hours": str(hours), "completed_on": completed.isoformat()},
                         due_on=completed + datetime.timedelta(days=DAYS_TO_REPORT)))
    return rows


def submissions_sync(*, user_id: int, course_id: int) -> list[Submission]:
    """Bring this learner's submissions for this course in line with their active credit, for
    each configured service (none without PARS_URL or CE_BROKER_URL), and queue the changed."""
    if not (settings.PARS_URL or settings.CE_BROKER_URL):
        return []
    user = User.objects.get(pk=user_id)
    course = Course.objects.get(pk=course_id)
    records = CreditRecord.objects.filter(user=user, course=course,
                                          status=CreditRecord.Status.ACTIVE)
    with transaction.atomic():
        rows = []
        if settings.PARS_URL and (user.consents_to_credit_reporting or Submission.objects.filter(
                kind=Kind.PARS_LEARNER, course=course, user=user).exists()):
            rows += _pars_rows(user=user, course=course, records=records)
        if settings.CE_BROKER_URL:
            rows += _ce_broker_rows(user=user, course=course, records=records)
        changed = [row for row in rows if row is not None]
        for row in changed:
            _queue(row.pk)
    return changed


def submission_resubmit(*, submission: Submission, actor: User) -> Submission:
    """Send a rejected submission again (after the office fixed the activity or the learner
    their profile). A second click finds it pending and changes nothing."""
    if not actor.is_administrator:
        raise ValidationError("Only the CME office can resubmit reports.")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Status.REJECTED:
            return submission
        submission.status, submission.fix_by = Status.PENDING, Submission.FixBy.NOBODY
        submission.resubmitted_by, submission.next_attempt_at = actor, None
        submission.save()
        _queue(submission.pk)
    return submission


def learner_fixes_resubmit() -> int:
    """Refusals the learner had to fix whose profile now differs from what was refused go out
    again: a record PARS or CE Broker refused is sent again (the licence number corrected
    before the deadline); one PARS accepted but the board refused is corrected, by deleting it
    and submitting it again. Returns how many were queued."""
    queued = 0
    refused = Submission.objects.filter(
        Q(status=Status.REJECTED, fix_by=Submission.FixBy.LEARNER)
        | Q(status=Status.ACCEPTED, board_status=Submission.BoardStatus.REJECTED),
        correction__isnull=True).select_related("user")
    for submission in refused:
        if identity_for(submission) == submission.refused_identity:
            continue
        with transaction.atomic():
            if submission.status == Status.ACCEPTED:
                try:
                    with transaction.atomic():
                        correction = Submission.objects.create(
                            service=submission.service, kind=submission.kind,
                            course_id=submission.course_id, user=submission.user,
                            values=submission.values, due_on=submission.due_on,
                            version=submission.version + 1, corrects=submission)
                except IntegrityError:  # another tick made it
                    continue
                _queue(correction.pk)
                queued += 1
                continue
            changed = Submission.objects.filter(pk=submission.pk, status=Status.REJECTED).update(
                status=Status.PENDING, fix_by=Submission.FixBy.NOBODY, next_attempt_at=None,
                updated_at=timezone.now())
            if changed:
                _queue(submission.pk)
                queued += 1
    return queued


def refusal_notify(submission: Submission, *, occurrence: str) -> None:
    """Tell the learner, once per occurrence (the outbox key), what to fix and by when."""
    what = {Kind.PARS_LEARNER: "ACCME PARS", Kind.CEB_ROSTER: "CE Broker"}[submission.kind]
    message = submission.board_message if occurrence == "board" else submission.message
    outgoing_message_queue(
        recipient=submission.user, kind="credit_report_refused",
        object_key=f"submission-{submission.pk}", occurrence=occurrence,
        context={"activity_title": submission.course.title, "service": what,
                 "message": message,
                 "due_on": submission.due_on.isoformat() if submission.due_on else "",
                 "profile_url": settings.SITE_URL.rstrip("/") + reverse("accounts:profile")})


def pars_board_statuses_poll(*, now: datetime.datetime | None = None,
                             client: ParsClient | None = None) -> int:
    """Ask PARS for the board's answer on accepted MOC records not checked for 6 hours; a board
    that rejects is recorded with its words and the learner told once. Returns how many
    changed."""
    client = client or ParsClient.from_settings()
    if client is None:
        return 0
    now = now or timezone.now()
    due = Submission.objects.filter(
        kind=Kind.PARS_LEARNER, status=Status.ACCEPTED, board_status=Submission.BoardStatus.PENDING,
    ).exclude(board_checked_at__gt=now - datetime.timedelta(hours=BOARD_POLL_HOURS))
    changed = 0
    for submission in due.select_related("user", "course")[:500]:
        answer = client.learner_board_status(submission.remote_id)
        with transaction.atomic():
            SubmissionAttempt.objects.create(
                submission=submission, number=submission.attempts,
                call=SubmissionAttempt.Call.BOARD_STATUS, started_at=now,
                finished_at=timezone.now(), outcome=answer.outcome,
                http_status=answer.http_status, response_code=answer.code,
                message=answer.message)
            if answer.outcome != Outcome.ACCEPTED:
                continue
            submission.board_checked_at = now
            status = answer.values["board_status"]
            if status != submission.board_status:
                submission.board_status, submission.board_message = status, answer.message
                changed += 1
                if status == Submission.BoardStatus.REJECTED:
                    submission.refused_identity = identity_for(submission)
                    refusal_notify(submission, occurrence="board")
            submission.save(update_fields=["board_checked_at", "board_status", "board_message",
                                           "refused_identity", "updated_at"])
    return changed
