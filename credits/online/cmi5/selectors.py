"""Reads of cmi5 sessions and statements: the session a token authorises, its registration's
statements as the xAPI Statement API returns them, and the answers AUs reported."""
from django.db.models import Prefetch

from courses.models import Course
from credits.online.scorm.selectors import ReportedInteraction

from .identity import digest
from .models import AuSession, Statement

MAX_LIMIT = 500


def session_for_token(token: str) -> AuSession | None:
    if not token:
        return None
    return (AuSession.objects.select_related("registration__user", "registration__package")
            .filter(token_sha256=digest(token)).first())


def statement_of(*, session: AuSession, statement_id) -> Statement | None:
    return Statement.objects.filter(registration=session.registration,
                                    statement_id=statement_id).first()


def statements_of(*, session: AuSession, verb: str = "", activity: str = "",
                  limit: int = MAX_LIMIT) -> list[dict]:
    """The registration's statements, newest first (xAPI GET /statements, its filters on verb
    and activity); another registration's never."""
    statements = Statement.objects.filter(registration=session.registration)
    if verb:
        statements = statements.filter(verb_id=verb)
    if activity:
        statements = statements.filter(object_id=activity)
    return [row.statement for row in
            statements.order_by("-stored_at", "-pk")[:max(1, min(limit, MAX_LIMIT))]]


def statement_interactions_for(*, course: Course) -> list[ReportedInteraction]:
    """The answers cmi5 AUs reported in their statements (a result with a response, as xAPI
    "answered" statements carry), in the shape of SCORM's interactions. One query."""
    rows = []
    for row in (Statement.objects.filter(registration__course=course, by_portal=False,
                                         session__isnull=False,
                                         statement__result__has_key="response")
                .select_related("registration__user", "registration__package",
                                "session__attempt")
                .order_by("registration__user__full_name", "stored_at", "pk")):
        result = row.statement["result"]
        definition = (row.statement.get("object") or {}).get("definition") or {}
        names = definition.get("name") if isinstance(definition.get("name"), dict) else {}
        attempt = row.session.attempt
        titles = {au["identifier"]: au["title"] for au in row.registration.package.scos}
        rows.append(ReportedInteraction(
            learner=row.registration.user, version=row.registration.package.version,
            part=titles.get(attempt.sco_identifier, attempt.sco_identifier),
            attempt=attempt.number, question=str(next(iter(names.values()), row.object_id)),
            kind=str(definition.get("interactionType", "")), response=str(result["response"]),
            result={True: "correct", False: "wrong"}.get(result.get("success"), ""),
            reported_at=row.stored_at))
    return rows


def sessions_of_attempt(*, attempt) -> list[AuSession]:
    """An AU's sessions for the support view, each with its statements in order. Two queries."""
    return list(AuSession.objects.filter(attempt=attempt).order_by("launched_at", "pk")
                .prefetch_related(Prefetch("statements",
                                           Statement.objects.order_by("stored_at", "pk"))))
