"""Writes of a learner's SCORM attempts: launching a SCO (resuming the open attempt or opening a
new one) and recording each commit the runtime sends, once, under the learner's lock."""
import datetime
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from courses.packages.models import ContentPackage
from courses.packages.selectors import package_current_for
from credits.online.services import module_completion_update, module_start

from .models import ScoAttempt, ScoCommit
from .rules import sco_outcome

# Largest CMI document a commit may carry: SCORM 2004 allows 64,000 characters of suspend data
# and a few hundred interactions; this leaves room for both.
MAX_CMI_CHARACTERS = 1_000_000


class AttemptClosed(ValidationError):
    """A commit for an attempt the SCO already finished (a late second tab)."""


class AttemptNotYours(ValidationError):
    """A commit naming someone else's attempt, or none."""


SUMMARY_FIELDS = ["lesson_status", "completion_status", "success_status", "score_raw",
                  "score_scaled", "score_percent", "location", "suspend_data"]


@dataclass(frozen=True)
class RecordedCommit:
    pk: int  # the stored commit's id
    created: bool  # False: the commit id was already stored (a retried request)


# One statement does the commit's writes: lock the learner's attempt, store the commit once
# (ON CONFLICT: a retry or a second tab's copy adds nothing), and bring the attempt's summary up
# to date only when the commit was new. A single statement is atomic on its own, so a commit
# that cannot complete the module needs no transaction around it; measured in
# bench/scorm_commits.py (docs/benchmarks.md): 3 round trips to PostgreSQL fewer per commit.
_COMMIT_SQL = """WITH attempt AS (
    SELECT id, closed_at, satisfied_at FROM scorm_scoattempt
    WHERE id = %(attempt)s AND user_id = %(user)s
    FOR UPDATE
), stored AS (
    INSERT INTO scorm_scocommit
        (attempt_id, commit_id, received_at, terminate, cmi, session_seconds, satisfied)
    SELECT id, %(commit_id)s::uuid, %(now)s, %(terminate)s, %(cmi)s::jsonb, %(session_seconds)s,
           %(satisfied)s
    FROM attempt WHERE closed_at IS NULL
    ON CONFLICT (attempt_id, commit_id) DO NOTHING
    RETURNING id, attempt_id
), summary AS (
    UPDATE scorm_scoattempt AS summarised SET
        lesson_status = %(lesson_status)s, completion_status = %(completion_status)s,
        success_status = %(success_status)s, score_raw = %(score_raw)s,
        score_scaled = %(score_scaled)s, score_percent = %(score_percent)s,
        location = %(location)s, suspend_data = %(suspend_data)s,
        seconds_spent = summarised.seconds_before_session + %(session_seconds)s,
        last_commit_at = %(now)s,
        satisfied_at = coalesce(summarised.satisfied_at,
                                CASE WHEN %(satisfied)s THEN %(now)s END),
        closed_at = CASE WHEN %(closes)s THEN %(now)s END
    FROM stored WHERE summarised.id = stored.attempt_id
)
SELECT attempt.closed_at IS NOT NULL, attempt.satisfied_at IS NOT NULL, (SELECT id FROM stored)
FROM attempt
"""


@dataclass(frozen=True)
class _Stored:
    closed: bool  # the attempt was already closed: nothing stored
    was_satisfied: bool  # the attempt had met its completion rule before this commit
    pk: int | None  # the new commit's id; None when nothing was stored


def _commit_store(values: dict, cmi: dict) -> _Stored:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_COMMIT_SQL, values)
            closed, was_satisfied, pk = cursor.fetchone()
        return _Stored(closed=closed, was_satisfied=was_satisfied, pk=pk)
    return _commit_store_one_writer(values, cmi)


@transaction.atomic
def _commit_store_one_writer(values: dict, cmi: dict) -> _Stored:
    """_COMMIT_SQL's writes through the ORM, for the embedded SQLite database, which has no
    writable CTEs (and lets one writer in at a time)."""
    attempt = ScoAttempt.objects.select_for_update().get(pk=values["attempt"])
    stored = _Stored(closed=attempt.closed_at is not None,
                     was_satisfied=attempt.satisfied_at is not None, pk=None)
    if stored.closed or ScoCommit.objects.filter(attempt=attempt,
                                                 commit_id=values["commit_id"]).exists():
        return stored
    now = values["now"]
    commit = ScoCommit.objects.create(
        attempt=attempt, commit_id=values["commit_id"], received_at=now,
        terminate=values["terminate"], cmi=cmi, satisfied=values["satisfied"],
        session_seconds=values["session_seconds"])
    for name in SUMMARY_FIELDS:
        setattr(attempt, name, values[name])
    attempt.seconds_spent = attempt.seconds_before_session + values["session_seconds"]
    attempt.last_commit_at = now
    if values["satisfied"] and attempt.satisfied_at is None:
        attempt.satisfied_at = now
    if values["closes"]:
        attempt.closed_at = now
    attempt.save(update_fields=[*SUMMARY_FIELDS, "seconds_spent", "last_commit_at",
                                "satisfied_at", "closed_at"])
    return _Stored(closed=False, was_satisfied=stored.was_satisfied, pk=commit.pk)


def _lock_learner(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _sco(package: ContentPackage, sco_number: int) -> dict:
    if not 1 <= sco_number <= len(package.scos):
        raise ValidationError("This package has no such part.")
    return package.scos[sco_number - 1]


@transaction.atomic
def sco_attempt_launch(*, user: User, course: Course, sco_number: int,
                       now: datetime.datetime | None = None) -> ScoAttempt:
    """The learner's open attempt at the SCO (a resumed one starts a new session), or a new one
    on the published version. Two tabs launching at once get the same attempt."""
    now = now or timezone.now()
    module_start(user=user, course=course, now=now)
    package = package_current_for(course=course)
    if package is None:
        raise ValidationError("This activity has no published package yet.")
    sco = _sco(package, sco_number)
    _lock_learner(user)
    attempt = ScoAttempt.objects.filter(user=user, package=package,
                                        sco_identifier=sco["identifier"],
                                        closed_at__isnull=True).first()
    if attempt is not None:
        ScoAttempt.objects.filter(pk=attempt.pk).update(
            seconds_before_session=attempt.seconds_spent)
        attempt.seconds_before_session = attempt.seconds_spent
        return attempt
    number = ScoAttempt.objects.filter(user=user, package=package,
                                       sco_identifier=sco["identifier"]).count() + 1
    return ScoAttempt.objects.create(user=user, course=course, package=package,
                                     sco_identifier=sco["identifier"], number=number,
                                     started_at=now)


def sco_commit_record(*, user: User, attempt_id: int, commit_id: uuid.UUID, cmi: dict,
                      terminate: bool, now: datetime.datetime | None = None) -> RecordedCommit:
    """Store the commit and bring the attempt's summary and the module's completion up to date.

    A commit already recorded (a retried request) is returned unchanged."""
    now = now or timezone.now()
    document = json.dumps(cmi) if isinstance(cmi, dict) else ""
    if not document or len(document) > MAX_CMI_CHARACTERS:
        raise ValidationError("The commit's CMI data is missing or too large.")
    # Ownership and the package's rules, read without a lock: a package version never changes
    # once uploaded (a new version is a new row), so the outcome can be decided before the write.
    played = (ScoAttempt.objects.filter(pk=attempt_id, user=user)
              .values("course_id", "sco_identifier", "package__standard", "package__manifest")
              .first())
    if played is None:
        raise AttemptNotYours("That attempt is not yours.")
    sco = next(sco for sco in played["package__manifest"].get("scos", [])
               if sco["identifier"] == played["sco_identifier"])
    outcome = sco_outcome(standard=played["package__standard"], sco=sco, cmi=cmi)
    values = {"attempt": attempt_id, "user": user.pk, "commit_id": str(commit_id), "now": now,
              "terminate": terminate, "cmi": document, "closes": terminate and
              outcome.exit.lower() != "suspend", "satisfied": outcome.satisfied,
              "session_seconds": outcome.session_seconds,
              **{name: getattr(outcome, name) for name in SUMMARY_FIELDS}}
    if not outcome.satisfied:
        # Cannot complete the module: the one statement is the whole write.
        stored = _commit_store(values, cmi)
    else:
        with transaction.atomic():
            stored = _commit_store(values, cmi)
            if stored.pk is not None and not stored.was_satisfied:
                module_completion_update(user=user, now=now,
                                         course=Course.objects.get(pk=played["course_id"]))
    if stored.pk is not None:
        return RecordedCommit(pk=stored.pk, created=True)
    existing = (ScoCommit.objects.filter(attempt_id=attempt_id, commit_id=commit_id)
                .values_list("pk", flat=True).first())
    if existing is None:  # nothing stored and no earlier copy: the attempt was closed
        raise AttemptClosed("This attempt was finished in another window; reload the page "
                            "to start again.")
    return RecordedCommit(pk=existing, created=False)  # a retry, or the finishing one retried
