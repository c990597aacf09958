"""Writes of a learner's SCORM attempts: launching a SCO (resuming the open attempt or opening a
new one) and recording each commit the runtime sends, once, under the learner's lock."""
import datetime
import uuid

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


def _insert_once(commit: ScoCommit) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: one round trip where a look-up and an insert took
    two (commits come every 30 seconds from every learner: bench/scorm_commits.py). False when
    the commit id is already stored, a retried request."""
    fields = [field for field in ScoCommit._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(ScoCommit._meta.db_table)} "  # noqa: S608  (names from the model)
           f"({', '.join(quote(field.column) for field in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({quote('attempt_id')}, {quote('commit_id')}) DO NOTHING "
           f"RETURNING {quote('id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(getattr(commit, field.attname), connection)
                             for field in fields])
        row = cursor.fetchone()
    if row is not None:
        commit.pk = row[0]
    return row is not None


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


@transaction.atomic
def sco_commit_record(*, user: User, attempt_id: int, commit_id: uuid.UUID, cmi: dict,
                      terminate: bool, now: datetime.datetime | None = None) -> ScoCommit:
    """Store the commit and bring the attempt's summary and the module's completion up to date.

    A commit already recorded (a retried request) is returned unchanged."""
    now = now or timezone.now()
    if not isinstance(cmi, dict) or len(str(cmi)) > MAX_CMI_CHARACTERS:
        raise ValidationError("The commit's CMI data is missing or too large.")
    attempt = (ScoAttempt.objects.select_for_update().select_related("package")
               .filter(pk=attempt_id, user=user).first())
    if attempt is None:
        raise AttemptNotYours("That attempt is not yours.")
    if attempt.closed_at is not None:
        existing = ScoCommit.objects.filter(attempt=attempt, commit_id=commit_id).first()
        if existing is not None:  # the finishing commit, retried
            return existing
        raise AttemptClosed("This attempt was finished in another window; reload the page to "
                            "start again.")
    sco = next(sco for sco in attempt.package.scos
               if sco["identifier"] == attempt.sco_identifier)
    outcome = sco_outcome(package=attempt.package, sco=sco, cmi=cmi)
    commit = ScoCommit(attempt=attempt, commit_id=commit_id, received_at=now,
                       terminate=terminate, cmi=cmi, satisfied=outcome.satisfied,
                       session_seconds=outcome.session_seconds)
    if not _insert_once(commit):
        return ScoCommit.objects.get(attempt=attempt, commit_id=commit_id)
    for name in SUMMARY_FIELDS:
        setattr(attempt, name, getattr(outcome, name))
    attempt.seconds_spent = attempt.seconds_before_session + outcome.session_seconds
    attempt.last_commit_at = now
    newly_satisfied = outcome.satisfied and attempt.satisfied_at is None
    if newly_satisfied:
        attempt.satisfied_at = now
    if terminate and outcome.exit.lower() != "suspend":
        attempt.closed_at = now
    attempt.save(update_fields=[*SUMMARY_FIELDS, "seconds_spent", "last_commit_at",
                                "satisfied_at", "closed_at"])
    if newly_satisfied:
        module_completion_update(user=user, course=attempt.course, now=now)
    return commit
