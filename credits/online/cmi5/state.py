"""The xAPI State API of a cmi5 session: documents of the session's own AU in its registration.
LMS.LaunchData is the portal's and read-only to the AU (cmi5 section 10)."""
import datetime
import json

from django.utils import timezone

from .identity import learner_actor
from .launch import LAUNCH_DATA
from .models import AuSession, StateDocument
from .statements import StatementRejected, actor_matches

MAX_DOCUMENT_BYTES = 1_000_000


def state_scope_check(*, session: AuSession, activity_id: str, agent: str,
                      registration: str) -> None:
    """The token reaches the State API of its own AU, learner and registration only."""
    try:
        agent_value = json.loads(agent)
    except ValueError:
        raise StatementRejected("agent must be a JSON Agent.", 400) from None
    if not actor_matches(agent_value, learner_actor(session.registration.user)):
        raise StatementRejected("agent is not the launched learner.")
    if registration.lower() != str(session.registration.registration):
        raise StatementRejected("registration is not this launch's.")
    if activity_id != session.activity_id:
        raise StatementRejected("activityId is not this launch's AU.")


def state_document_get(*, session: AuSession, state_id: str) -> StateDocument | None:
    return StateDocument.objects.filter(registration=session.registration,
                                        activity_id=session.activity_id,
                                        state_id=state_id).first()


def state_ids_of(*, session: AuSession) -> list[str]:
    return list(StateDocument.objects.filter(registration=session.registration,
                                             activity_id=session.activity_id)
                .order_by("state_id").values_list("state_id", flat=True))


def state_document_put(*, session: AuSession, state_id: str, content: bytes,
                       content_type: str, merge: bool,
                       now: datetime.datetime | None = None) -> None:
    """PUT replaces the document; POST merges a JSON object into a stored JSON object."""
    if state_id == LAUNCH_DATA:
        raise StatementRejected("LMS.LaunchData is written by the portal; the AU may not "
                                "change it.")
    if not state_id or len(state_id) > 300 or len(content) > MAX_DOCUMENT_BYTES:
        raise StatementRejected("stateId is missing or the document is too large.", 400)
    if merge:
        existing = state_document_get(session=session, state_id=state_id)
        try:
            update = json.loads(content)
            stored = json.loads(bytes(existing.content)) if existing else {}
        except ValueError:
            raise StatementRejected("POST merges JSON documents only.", 400) from None
        if not isinstance(update, dict) or not isinstance(stored, dict):
            raise StatementRejected("POST merges JSON objects only.", 400)
        content, content_type = json.dumps({**stored, **update}).encode(), "application/json"
    StateDocument.objects.update_or_create(
        registration=session.registration, activity_id=session.activity_id, state_id=state_id,
        defaults={"content": content, "content_type": content_type[:100],
                  "updated_at": now or timezone.now()})
