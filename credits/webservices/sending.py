"""Sending one submission exactly once: the row is locked and marked sent before any call (a
second delivery or a second worker finds it sent and sends nothing), what it depends on must be
accepted first (a PARS activity before its learners, a CE Broker course and its live date's
publishing before a roster line), a correction deletes the previous record first, a roster line's
licence is validated first, and every call is logged with its answer."""
import datetime

from django.db import transaction
from django.utils import timezone

from credits.webservices import outgoing, services, tasks
from credits.webservices.ce_broker import CeBrokerClient
from credits.webservices.models import Submission, SubmissionAttempt
from credits.webservices.pars import ParsClient
from credits.webservices.selectors import STALE_SENT_MINUTES
from credits.webservices.transport import Answer, Outcome

Kind, Status = Submission.Kind, Submission.Status
DEPENDANTS = {Kind.PARS_ACTIVITY: [Kind.PARS_LEARNER],
              Kind.CEB_COURSE: [Kind.CEB_PUBLISHING, Kind.CEB_ROSTER],
              Kind.CEB_PUBLISHING: [Kind.CEB_ROSTER]}


def _accepted(kind: str, course_id: int, **key) -> Submission | None:
    return (Submission.objects.filter(kind=kind, course_id=course_id, status=Status.ACCEPTED,
                                      **key).order_by("-version").first())


def _prerequisites(submission: Submission) -> dict | None:
    """The service ids this row needs, or None while they are not accepted yet."""
    course_id = submission.course_id
    if submission.kind == Kind.PARS_LEARNER:
        activity = _accepted(Kind.PARS_ACTIVITY, course_id)
        if activity is None or (submission.corrects and
                                submission.corrects.status == Status.SENT):
            return None
        return {"activity_id": activity.remote_id}
    if submission.kind in (Kind.CEB_PUBLISHING, Kind.CEB_ROSTER):
        course = _accepted(Kind.CEB_COURSE, course_id)
        if course is None:
            return None
        needs = {"id_course": course.remote_id, "id_publishing": ""}
        if submission.kind == Kind.CEB_ROSTER and submission.course.format == "live":
            completed = datetime.date.fromisoformat(submission.values["completed_on"])
            publishing = _accepted(Kind.CEB_PUBLISHING, course_id, live_date=completed)
            if publishing is None:
                return None
            needs["id_publishing"] = publishing.remote_id
        return needs
    return {}


def _claim(submission_id: int, now: datetime.datetime) -> tuple[Submission, dict] | str:
    with transaction.atomic():
        submission = (Submission.objects.select_for_update(of=("self",))
                      .select_related("course", "user", "corrects")
                      .filter(pk=submission_id).first())
        if submission is None:
            return "skipped"
        stale = (submission.status == Status.SENT and submission.sent_at is not None
                 and submission.sent_at < now - datetime.timedelta(minutes=STALE_SENT_MINUTES))
        if submission.status != Status.PENDING and not stale:
            return "skipped"
        if Submission.objects.filter(corrects=submission).exists():
            # A newer version replaces it (a resubmit of a refused version came too late).
            submission.status = Status.SUPERSEDED
            submission.save(update_fields=["status", "updated_at"])
            return "skipped"
        needs = _prerequisites(submission)
        if needs is None:
            return "waiting"  # queued again when what it depends on is accepted
        submission.status, submission.sent_at = Status.SENT, now
        submission.attempts += 1
        submission.next_attempt_at = None
        submission.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at",
                                       "updated_at"])
        return submission, needs


def _logged(submission: Submission, call: str, started: datetime.datetime, answer: Answer):
    SubmissionAttempt.objects.create(
        submission=submission, number=submission.attempts, call=call, started_at=started,
        finished_at=timezone.now(), outcome=answer.outcome, http_status=answer.http_status,
        response_code=answer.code, message=answer.message)
    return answer


def _delete_previous(submission: Submission, client: ParsClient) -> Answer | None:
    """A correction: delete the record the previous version left in PARS. None when done."""
    previous = submission.corrects
    if previous is None or previous.remote_deleted_at:
        return None
    if not previous.remote_id:  # refused or never sent: nothing of it at PARS to delete
        Submission.objects.filter(pk=previous.pk).update(status=Status.SUPERSEDED,
                                                         updated_at=timezone.now())
        return None
    answer = _logged(submission, SubmissionAttempt.Call.DELETE, timezone.now(),
                     client.learner_delete(previous.remote_id))
    if answer.outcome != Outcome.ACCEPTED:
        return answer
    Submission.objects.filter(pk=previous.pk).update(
        remote_deleted_at=timezone.now(), status=Status.SUPERSEDED, updated_at=timezone.now())
    return None


def _call(submission: Submission, needs: dict, clients: dict) -> Answer:
    call = SubmissionAttempt.Call.SAVE
    if submission.kind == Kind.PARS_ACTIVITY:
        return _logged(submission, call, timezone.now(),
                       clients["pars"].activity_save(outgoing.pars_activity(submission)))
    if submission.kind == Kind.PARS_LEARNER:
        refused = _delete_previous(submission, clients["pars"])
        if refused:
            return refused
        if not submission.values:
            return Answer(Outcome.ACCEPTED, "DELETED", "Deleted from PARS: the credit was "
                                                       "voided.")
        learner = outgoing.pars_learner(submission)
        if isinstance(learner, Answer):
            return _logged(submission, call, timezone.now(), learner)
        return _logged(submission, call, timezone.now(), clients["pars"].learner_save(
            activity_id=needs["activity_id"], learner=learner))
    client: CeBrokerClient = clients["ce_broker"]
    if submission.kind == Kind.CEB_COURSE:
        return _logged(submission, call, timezone.now(),
                       client.course_save(outgoing.ce_broker_course(submission)))
    if submission.kind == Kind.CEB_PUBLISHING:
        return _logged(submission, call, timezone.now(), client.publishing_save(
            outgoing.ce_broker_publishing(submission, id_course=needs["id_course"])))
    line = outgoing.ce_broker_roster(submission, **needs)
    if isinstance(line, Answer):
        return _logged(submission, call, timezone.now(), line)
    checked = _logged(submission, SubmissionAttempt.Call.VALIDATE, timezone.now(),
                      client.licence_validate(licence=line.licence, state=line.state,
                                              profession_code=line.profession_code))
    if checked.outcome != Outcome.ACCEPTED:
        return checked
    return _logged(submission, call, timezone.now(), client.roster_post(line))


def _record(submission: Submission, answer: Answer, *, retry_at, now) -> None:
    with transaction.atomic():
        row = Submission.objects.select_for_update().get(pk=submission.pk)
        row.response_code, row.message = answer.code, answer.message
        if answer.outcome == Outcome.ACCEPTED and answer.code == "DELETED":
            row.status, row.accepted_at, row.fix_by = Status.WITHDRAWN, now, ""
        elif answer.outcome == Outcome.ACCEPTED:
            row.status, row.accepted_at, row.fix_by = Status.ACCEPTED, now, ""
            row.remote_id = answer.remote_id or row.remote_id
            if row.kind == Kind.PARS_LEARNER and row.values.get("moc_points", "0") != "0":
                row.board_status = Submission.BoardStatus.PENDING
            for dependant in Submission.objects.filter(
                    course_id=row.course_id, kind__in=DEPENDANTS.get(row.kind, []),
                    status=Status.PENDING).values_list("pk", flat=True):
                tasks.submission_send.delay_on_commit(dependant)
        elif answer.outcome == Outcome.REJECTED:
            row.status, row.fix_by = Status.REJECTED, answer.fix_by
            row.refused_identity = outgoing.identity_for(row)
            if answer.fix_by == Submission.FixBy.LEARNER and row.user_id:
                services.refusal_notify(row, occurrence=f"refused-{row.attempts}")
        else:
            row.status, row.next_attempt_at = Status.PENDING, retry_at
        row.save()


def submission_send(*, submission_id: int, retry_in_seconds: float | None = None,
                    clients: dict | None = None, now: datetime.datetime | None = None) -> str:
    """Send one submission and record the answer. Returns "accepted", "rejected", "transient"
    (the caller retries), "waiting" (what it depends on is not accepted yet), "skipped" (not
    pending: already sent) or "not_configured" (its service has no URL)."""
    clients = clients or {"pars": ParsClient.from_settings(),
                          "ce_broker": CeBrokerClient.from_settings()}
    service = Submission.objects.filter(pk=submission_id).values_list("service", flat=True).first()
    if service is None:
        return "skipped"
    if clients.get(service) is None:
        return "not_configured"
    started = now or timezone.now()
    claimed = _claim(submission_id, started)
    if isinstance(claimed, str):
        return claimed
    submission, needs = claimed
    answer = _call(submission, needs, clients)
    retry_at = (started + datetime.timedelta(seconds=retry_in_seconds)
                if answer.outcome == Outcome.TRANSIENT and retry_in_seconds is not None else None)
    _record(submission, answer, retry_at=retry_at, now=now or timezone.now())
    return answer.outcome
