"""Reads of cmi5 sessions and statements: the session a token authorises, and its
registration's statements as the xAPI Statement API returns them."""
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
