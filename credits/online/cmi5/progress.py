"""Recording xAPI statements of a cmi5 session (each once, by its id), and what they change:
the AU's progress on its attempt row (the one SCORM uses), moveOn, the course's "satisfied"
statement, and the module's completion through the same path SCORM takes."""
import datetime
import json
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from credits.online.scorm.models import ScoAttempt
from credits.online.scorm.rules import duration_seconds
from credits.online.services import module_completion_update

from .identity import course_activity_id, learner_actor
from .models import AuSession, Registration, Statement
from .move_on import au_satisfied
from .statements import (
    COURSE_TYPE,
    SessionFacts,
    StatementRejected,
    portal_statement,
    result_scaled,
    statement_check,
)

AUTHORITY = {"objectType": "Agent", "name": "CPD portal",
             "account": {"homePage": "https://w3id.org/xapi/cmi5", "name": "lms"}}
# Most statements one request may carry.
MAX_STATEMENTS = 50


def _timestamp(now: datetime.datetime) -> str:
    return now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _store(statement: dict, *, registration: Registration, session: AuSession | None,
           by_portal: bool, now: datetime.datetime) -> Statement:
    stored = {**statement, "stored": _timestamp(now), "authority": AUTHORITY,
              "version": statement.get("version", "1.0.3")}
    stored.setdefault("timestamp", stored["stored"])
    return Statement.objects.create(
        statement_id=uuid.UUID(str(statement["id"])), registration=registration,
        session=session, verb_id=statement["verb"]["id"], object_id=statement["object"]["id"],
        by_portal=by_portal, stored_at=now, statement=stored)


def portal_statement_store(name: str, *, registration: Registration, session: AuSession,
                           actor: dict, object_id: str, now: datetime.datetime,
                           **fields) -> Statement:
    statement = portal_statement(
        name, statement_id=uuid.uuid4(), actor=actor, registration=str(registration.registration),
        session_id=str(session.session_id), object_id=object_id, timestamp=_timestamp(now),
        **fields)
    return _store(statement, registration=registration, session=session, by_portal=True, now=now)


def course_satisfied_check(*, registration: Registration, session: AuSession,
                           now: datetime.datetime) -> bool:
    """Once every AU of the version met its moveOn, say "satisfied" for the course (section
    9.3.9, once per registration) and let the module's completion follow."""
    if registration.satisfied_at is not None:
        return False
    # Done in any version counts, as the module's steps count it (package_state_for).
    done = set(ScoAttempt.objects.filter(user=registration.user, course=registration.course,
                                         satisfied_at__isnull=False)
               .values_list("sco_identifier", flat=True))
    if not all(au["identifier"] in done for au in registration.package.scos):
        return False
    Registration.objects.filter(pk=registration.pk).update(satisfied_at=now)
    registration.satisfied_at = now
    portal_statement_store("satisfied", registration=registration, session=session,
                           actor=learner_actor(registration.user),
                           object_id=course_activity_id(registration.course),
                           object_type=COURSE_TYPE, now=now)
    module_completion_update(user=registration.user, course=registration.course, now=now)
    return True


def _facts(session: AuSession, attempt: ScoAttempt) -> SessionFacts:
    au = next(au for au in session.registration.package.scos
              if au["identifier"] == attempt.sco_identifier)
    return SessionFacts(
        actor=learner_actor(session.registration.user),
        registration=str(session.registration.registration),
        session_id=str(session.session_id), activity_id=session.activity_id,
        mastery_score=(Decimal(au["scaled_passing_score"]) if au.get("scaled_passing_score")
                       else None),
        initialized=session.initialized_at is not None,
        terminated=session.terminated_at is not None,
        completed_before=attempt.completion_status == "completed",
        passed_before=attempt.success_status == "passed")


def _apply(name: str, statement: dict, *, session: AuSession, attempt: ScoAttempt,
           now: datetime.datetime) -> None:
    session.last_statement_at = now
    if name == "initialized":
        session.initialized_at = now
    elif name == "completed":
        attempt.completion_status = "completed"
    elif name in ("passed", "failed"):
        attempt.success_status = name
        scaled = result_scaled(statement)
        if scaled is not None:
            attempt.score_scaled = scaled
            attempt.score_percent = (max(scaled, Decimal(0)) * 100).quantize(Decimal("0.01"))
    elif name == "terminated":
        session.terminated_at = now
        attempt.seconds_spent += duration_seconds(
            str((statement.get("result") or {}).get("duration", "")))
    attempt.last_commit_at = now


def _same(stored: Statement, statement: dict) -> bool:
    kept = {key: value for key, value in stored.statement.items()
            if key not in ("stored", "authority", "version")}
    sent = {key: value for key, value in statement.items()
            if key not in ("stored", "authority", "version")}
    if "timestamp" not in sent:
        kept.pop("timestamp", None)
    return json.dumps(kept, sort_keys=True) == json.dumps(sent, sort_keys=True)


@transaction.atomic
def statements_record(*, session_id: int, statements: list,
                      now: datetime.datetime | None = None) -> list[str]:
    """Check and store the AU's statements, in order, all or none. A statement whose id is
    already stored with the same content (a retried request) is not stored or counted again;
    the same id with other content is a conflict (409)."""
    now = now or timezone.now()
    if not isinstance(statements, list) or not 1 <= len(statements) <= MAX_STATEMENTS:
        raise StatementRejected(f"Send 1 to {MAX_STATEMENTS} statements at a time.", 400)
    session = (AuSession.objects.select_for_update()
               .select_related("registration__package", "registration__user",
                               "registration__course").get(pk=session_id))
    if session.abandoned_at is not None:
        raise StatementRejected("This session was abandoned; launch the AU again.", 401)
    attempt = ScoAttempt.objects.select_for_update().get(pk=session.attempt_id)
    ids, newly_satisfied = [], False
    for statement in statements:
        if isinstance(statement, dict) and "id" in statement:
            existing = Statement.objects.filter(statement_id=_uuid(statement["id"])).first()
            if existing is not None:
                if existing.session_id != session.pk or not _same(existing, statement):
                    raise StatementRejected(f"Statement {statement['id']} is already stored "
                                            "with other content.", 409)
                ids.append(str(existing.statement_id))
                continue
        name = statement_check(statement, facts=_facts(session, attempt))
        statement = {"id": str(uuid.uuid4()), **statement}
        _store(statement, registration=session.registration, session=session, by_portal=False,
               now=now)
        _apply(name, statement, session=session, attempt=attempt, now=now)
        ids.append(statement["id"])
        move_on = next(au for au in session.registration.package.scos
                       if au["identifier"] == attempt.sco_identifier).get("move_on")
        if attempt.satisfied_at is None and au_satisfied(
                move_on=move_on, completed=attempt.completion_status == "completed",
                passed=attempt.success_status == "passed"):
            attempt.satisfied_at = now
            newly_satisfied = True
    session.save(update_fields=["initialized_at", "terminated_at", "last_statement_at"])
    attempt.save()
    if newly_satisfied:
        course_satisfied_check(registration=session.registration, session=session, now=now)
    return ids


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise StatementRejected("The statement id must be a UUID.", 400) from None
