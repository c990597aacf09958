"""The cmi5 fetch URL and the minimal xAPI endpoint an AU talks to (cmi5 section 8.2; xAPI
1.0.3 Statement and State resources). The AU runs in a sandboxed frame with an opaque origin,
so every answer allows any origin (CORS) and no cookie is read: the session token from the
fetch URL, sent as `Authorization: Basic <token>`, is the only credential, and it reaches its
own registration and AU only."""
import functools
import json
import uuid

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .launch import FetchRefused, session_token_issue
from .progress import statements_record
from .selectors import session_for_token, statement_of, statements_of
from .state import state_document_get, state_document_put, state_ids_of, state_scope_check
from .statements import StatementRejected

XAPI_VERSION = "1.0.3"
# Headers an AU's xAPI library sends; Authorization needs naming (a wildcard does not cover it).
ALLOWED_HEADERS = "Authorization, Content-Type, X-Experience-API-Version"


def _cors(response: HttpResponse, methods: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = f"{methods}, OPTIONS"
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Expose-Headers"] = "X-Experience-API-Version"
    response["X-Experience-API-Version"] = XAPI_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _token(request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() in ("basic", "bearer") else ""


def xapi_resource(methods: tuple[str, ...]):
    """CORS, the preflight, the allowed methods and the session token for an xAPI view."""
    allowed = ", ".join(methods)

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "OPTIONS":
                return _cors(HttpResponse(status=204), allowed)
            if request.method not in methods:
                return _cors(_error("Method not allowed.", 405), allowed)
            session = session_for_token(_token(request))
            if session is None or session.abandoned_at is not None:
                return _cors(_error("Send the session's token from the fetch URL "
                                    "(Authorization: Basic <token>).", 401), allowed)
            try:
                response = view(request, session, *args, **kwargs)
            except StatementRejected as error:
                response = _error(str(error), error.status)
            return _cors(response, allowed)
        return wrapped
    return decorate


@csrf_exempt
def fetch(request, key: str):
    """The one-time fetch URL: the session's token the first time, error 1 after (section
    8.2.3); always 200 and JSON, as the spec asks."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), "POST")
    if request.method != "POST":
        return _cors(_error("POST to the fetch URL.", 405), "POST")
    try:
        body = {"auth-token": session_token_issue(fetch_key=key)}
    except FetchRefused as refused:
        body = {"error-code": str(refused.code), "error-text": str(refused)}
    return _cors(JsonResponse(body), "POST")


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        raise StatementRejected("The body is not JSON.", 400) from None


@xapi_resource(("GET", "PUT", "POST"))
def statements(request, session):
    if request.method == "GET":
        statement_id = request.GET.get("statementId")
        if statement_id:
            try:
                found = statement_of(session=session, statement_id=uuid.UUID(statement_id))
            except ValueError:
                raise StatementRejected("statementId must be a UUID.", 400) from None
            return JsonResponse(found.statement) if found else _error("No such statement.", 404)
        try:
            limit = int(request.GET.get("limit") or 0) or 500
        except ValueError:
            raise StatementRejected("limit must be a number.", 400) from None
        return JsonResponse({"statements": statements_of(
            session=session, verb=request.GET.get("verb", ""),
            activity=request.GET.get("activity", ""), limit=limit), "more": ""})
    body = _json_body(request)
    if request.method == "PUT":
        statement_id = request.GET.get("statementId", "")
        if not isinstance(body, dict) or str(body.get("id", statement_id)) != statement_id:
            raise StatementRejected("PUT one statement whose id is the statementId.", 400)
        statements_record(session_id=session.pk, statements=[{**body, "id": statement_id}])
        return HttpResponse(status=204)
    ids = statements_record(session_id=session.pk,
                            statements=body if isinstance(body, list) else [body])
    return JsonResponse(ids, safe=False)


@xapi_resource(("GET", "PUT", "POST"))
def activity_state(request, session):
    state_scope_check(session=session, activity_id=request.GET.get("activityId", ""),
                      agent=request.GET.get("agent", ""),
                      registration=request.GET.get("registration", ""))
    state_id = request.GET.get("stateId", "")
    if request.method == "GET":
        if not state_id:
            return JsonResponse(state_ids_of(session=session), safe=False)
        document = state_document_get(session=session, state_id=state_id)
        if document is None:
            return _error("No such state document.", 404)
        return HttpResponse(bytes(document.content), content_type=document.content_type)
    state_document_put(session=session, state_id=state_id, content=request.body,
                       content_type=request.content_type or "application/octet-stream",
                       merge=request.method == "POST")
    return HttpResponse(status=204)


@xapi_resource(("GET", "PUT", "POST"))
def agent_profile(request, session):
    """Learner preferences (cmi5 section 11): the portal keeps none and takes none; the spec
    asks AUs to treat the 403 as no error."""
    if request.method == "GET":
        return _error("The portal keeps no learner preferences.", 404)
    return _error("The portal does not store learner preferences.", 403)
