"""xAPI statements under cmi5: the strict check of what an AU sends (cmi5 spec sections 7.1 and
9: the defined verbs, their order, object, result and context) and the statements the portal
writes itself (launched, abandoned, satisfied).

A check refuses with a StatementRejected carrying the HTTP status the xAPI endpoint answers:
400 for a statement that is not valid xAPI, 403 for one that breaks a cmi5 rule (the spec's
"the LMS SHOULD reject statements that conflict with ... section 9").
"""
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"
VERBS = {
    "launched": ADL + "launched", "initialized": ADL + "initialized",
    "completed": ADL + "completed", "passed": ADL + "passed", "failed": ADL + "failed",
    "terminated": ADL + "terminated", "abandoned": W3ID + "abandoned",
    "waived": W3ID + "waived", "satisfied": W3ID + "satisfied",
}
VERB_NAMES = {iri: name for name, iri in VERBS.items()}
# Only the portal may say these; an AU may not void either (cmi5 6.3).
PORTAL_VERBS = {"launched", "abandoned", "waived", "satisfied"}
VOIDED = ADL + "voided"
CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/"
SESSION_ID = EXTENSION + "sessionid"
COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
DURATION = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?"
                      r"(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$")


class StatementRejected(ValueError):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


@dataclass
class SessionFacts:
    """What the portal knows of the session a statement claims to belong to."""
    actor: dict
    registration: str
    session_id: str
    activity_id: str
    mastery_score: Decimal | None
    initialized: bool
    terminated: bool
    completed_before: bool
    passed_before: bool


def actor_matches(actor, expected: dict) -> bool:
    account = actor.get("account") if isinstance(actor, dict) else None
    return (isinstance(account, dict)
            and account.get("homePage") == expected["account"]["homePage"]
            and str(account.get("name")) == expected["account"]["name"]
            and actor.get("objectType", "Agent") == "Agent")


def _scaled(result: dict) -> Decimal | None:
    score = result.get("score")
    if score is None:
        return None
    if not isinstance(score, dict):
        raise StatementRejected("result.score must be an object.", 400)
    if "scaled" not in score:
        return None
    try:
        scaled = Decimal(str(score["scaled"]))
    except InvalidOperation:
        raise StatementRejected("result.score.scaled must be a number.", 400) from None
    if not Decimal(-1) <= scaled <= Decimal(1):
        raise StatementRejected("result.score.scaled must be between -1 and 1.", 400)
    return scaled


def _structure(statement) -> tuple[str, str, dict, dict]:
    if not isinstance(statement, dict):
        raise StatementRejected("A statement must be a JSON object.", 400)
    if "id" in statement:
        try:
            uuid.UUID(str(statement["id"]))
        except ValueError:
            raise StatementRejected("The statement id must be a UUID.", 400) from None
    verb, target = statement.get("verb"), statement.get("object")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str):
        raise StatementRejected("The statement has no verb id.", 400)
    if not isinstance(target, dict) or not isinstance(target.get("id"), str):
        raise StatementRejected("The statement has no object id.", 400)
    result = statement.get("result") or {}
    context = statement.get("context") or {}
    if not isinstance(result, dict) or not isinstance(context, dict):
        raise StatementRejected("result and context must be objects.", 400)
    if "duration" in result and not DURATION.match(str(result["duration"])):
        raise StatementRejected("result.duration must be an ISO 8601 duration.", 400)
    return verb["id"], target["id"], result, context


def _categories(context: dict) -> set[str]:
    activities = context.get("contextActivities") or {}
    category = activities.get("category") if isinstance(activities, dict) else None
    if isinstance(category, dict):
        category = [category]
    return {item.get("id") for item in category or [] if isinstance(item, dict)}


def _defined_rules(name: str, result: dict, facts: SessionFacts) -> None:
    """Section 9.5: which result properties each defined verb carries, and masteryScore."""
    scaled = _scaled(result)
    if name not in ("passed", "failed") and "score" in result:
        raise StatementRejected(f"A “{name}” statement must not carry a score.")
    if name in ("passed", "failed"):
        if result.get("success") is not (name == "passed"):
            raise StatementRejected(f"A “{name}” statement must set result.success to "
                                    f"{'true' if name == 'passed' else 'false'}.")
        if scaled is not None and facts.mastery_score is not None:
            if name == "passed" and scaled < facts.mastery_score:
                raise StatementRejected(f"A passed score ({scaled}) must reach the "
                                        f"masteryScore ({facts.mastery_score}).")
            if name == "failed" and scaled >= facts.mastery_score:
                raise StatementRejected(f"A failed score ({scaled}) must be under the "
                                        f"masteryScore ({facts.mastery_score}).")
    elif "success" in result:
        raise StatementRejected(f"A “{name}” statement must not set result.success.")
    if name == "completed" and result.get("completion") is not True:
        raise StatementRejected("A completed statement must set result.completion to true.")
    if name not in ("completed",) and "completion" in result:
        raise StatementRejected(f"A “{name}” statement must not set result.completion.")
    if name == "completed" and facts.completed_before:
        raise StatementRejected("This AU already sent “completed” in this registration.")
    if name == "passed" and facts.passed_before:
        raise StatementRejected("This AU already sent “passed” in this registration.")
    if name == "failed" and facts.passed_before:
        raise StatementRejected("“failed” cannot follow “passed” in a registration.")


def statement_check(statement, *, facts: SessionFacts) -> str:
    """The cmi5 verb name of a valid AU statement ("allowed" for other verbs), or a
    StatementRejected naming the first rule it breaks."""
    verb_id, object_id, result, context = _structure(statement)
    if not actor_matches(statement.get("actor"), facts.actor):
        raise StatementRejected("The statement's actor is not the launched learner.")
    if str(context.get("registration", "")).lower() != facts.registration:
        raise StatementRejected("The statement's context.registration is not this launch's.")
    extensions = context.get("extensions") or {}
    if not isinstance(extensions, dict) or extensions.get(SESSION_ID) != facts.session_id:
        raise StatementRejected("The statement's session id is not this launch's (use the "
                                "contextTemplate of LMS.LaunchData).")
    name = VERB_NAMES.get(verb_id, "allowed")
    if verb_id == VOIDED:
        raise StatementRejected("An AU may not void statements.")
    if name in PORTAL_VERBS:
        raise StatementRejected(f"Only the portal writes “{name}” statements.")
    if facts.terminated:
        raise StatementRejected("This session was terminated; no statement may follow.")
    if not facts.initialized and name != "initialized":
        raise StatementRejected("The first statement of a session must be “initialized”.")
    if facts.initialized and name == "initialized":
        raise StatementRejected("This session was already initialized.")
    if name == "allowed":
        return name
    if object_id != facts.activity_id:
        raise StatementRejected("A cmi5 defined statement's object must be the launch's "
                                "activityId.")
    if CATEGORY_CMI5 not in _categories(context):
        raise StatementRejected("A cmi5 defined statement must carry the cmi5 category.")
    _defined_rules(name, result, facts)
    return name


def result_scaled(statement: dict) -> Decimal | None:
    return _scaled(statement.get("result") or {})


def portal_statement(name: str, *, statement_id: uuid.UUID, actor: dict, registration: str,
                     session_id: str, object_id: str, timestamp: str, object_type: str = "",
                     result: dict | None = None, extensions: dict | None = None,
                     move_on: bool = False) -> dict:
    """A statement the portal writes on the AU's behalf or about the course."""
    categories = [{"id": CATEGORY_CMI5}] + ([{"id": CATEGORY_MOVE_ON}] if move_on else [])
    target = {"objectType": "Activity", "id": object_id}
    if object_type:
        target["definition"] = {"type": object_type}
    statement = {
        "id": str(statement_id), "actor": actor,
        "verb": {"id": VERBS[name], "display": {"en-US": name}}, "object": target,
        "context": {"registration": registration,
                    "contextActivities": {"category": categories},
                    "extensions": {SESSION_ID: session_id, **(extensions or {})}},
        "timestamp": timestamp,
    }
    if result:
        statement["result"] = result
    return statement
