"""A local stand-in for Zoom's REST API, implementing the documented contracts the portal uses:

- POST /oauth/token?grant_type=account_credentials&account_id=..., HTTP Basic client id and
  secret -> {access_token, token_type, expires_in: 3600}; 400/401 otherwise.
- Bearer token on every /v2 call, else 401 {code: 124, "Invalid access token."}.
- POST /v2/meetings/{meetingId}/registrants {email, first_name, last_name} -> 201 {id,
  registrant_id, join_url, topic}; the same email again answers the same registrant; an
  unknown meeting 404 {code: 3001}; no email 400 {code: 300}.
- GET /v2/report/meetings/{meetingId}/participants?page_size (max 300)&next_page_token ->
  {page_count, page_size, total_records, next_page_token, participants: [{id, user_id, name,
  user_email, join_time, leave_time, duration, registrant_id}]}; 404 {code: 3001} for an
  unknown meeting.
- 429 with Retry-After (and 5xx) from the fault queue.

Webhooks go the other way: `signed_event` makes the headers and body Zoom would send.
"""
import base64
import datetime
import hashlib
import hmac
import itertools
import json
import time

from tests.credits.virtual.contract_server import StandIn

ACCOUNT_ID = "acct-test"
CLIENT_ID = "client-test"
CLIENT_SECRET = "secret-test"
WEBHOOK_SECRET = "webhook-secret-test"


def _z(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ZoomStandIn(StandIn):
    def __init__(self):
        super().__init__()
        self.meetings: dict[str, list[dict]] = {}  # meeting id -> participant rows
        self.registrants: dict[str, dict[str, dict]] = {}  # meeting id -> email -> registrant
        self.tokens: set[str] = set()
        self.ids = itertools.count(1)

    def meeting_add(self, meeting_id: str) -> None:
        self.meetings.setdefault(meeting_id, [])
        self.registrants.setdefault(meeting_id, {})

    def participant_join(self, meeting_id: str, *, name: str, email: str = "",
                         joined: datetime.datetime, left: datetime.datetime,
                         registrant_id: str = "") -> None:
        self.meetings[meeting_id].append({
            "id": f"p{next(self.ids)}", "user_id": str(16778240 + next(self.ids)), "name": name,
            "user_email": email, "join_time": _z(joined), "leave_time": _z(left),
            "duration": int((left - joined).total_seconds()), "registrant_id": registrant_id,
            "status": "in_meeting"})

    def registrant_id_for(self, meeting_id: str, email: str) -> str:
        return self.registrants[meeting_id][email.lower()]["registrant_id"]

    def route(self, method, path, query, headers, body):
        if path == "/oauth/token" and method == "POST":
            expected = "Basic " + base64.b64encode(
                f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if headers.get("Authorization") != expected:
                return 401, {"reason": "Invalid client_id or client_secret",
                             "error": "invalid_client"}, {}
            if (query.get("grant_type") != "account_credentials"
                    or query.get("account_id") != ACCOUNT_ID):
                return 400, {"reason": "Unsupported grant type", "error": "invalid_request"}, {}
            token = f"token-{next(self.ids)}"
            self.tokens.add(token)
            return 200, {"access_token": token, "token_type": "bearer", "expires_in": 3600,
                         "scope": "meeting:write:admin report:read:admin"}, {}
        authorization = headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.tokens:
            return 401, {"code": 124, "message": "Invalid access token."}, {}
        parts = path.strip("/").split("/")
        if parts[:2] == ["v2", "meetings"] and len(parts) == 4 and parts[3] == "registrants":
            return self._registrant_add(parts[2], json.loads(body or b"{}"))
        if parts[:3] == ["v2", "report", "meetings"] and len(parts) == 5 \
                and parts[4] == "participants":
            return self._participants(parts[3], query)
        return 404, {"code": 404, "message": "Not found."}, {}

    def _registrant_add(self, meeting_id, payload):
        if meeting_id not in self.meetings:
            return 404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has "
                                                  "expired."}, {}
        email = (payload.get("email") or "").lower()
        if not email or not payload.get("first_name"):
            return 400, {"code": 300, "message": "Validation Failed."}, {}
        existing = self.registrants[meeting_id].get(email)
        if existing is None:
            registrant_id = f"reg{next(self.ids):04d}x"
            existing = self.registrants[meeting_id][email] = {
                "id": int(meeting_id), "registrant_id": registrant_id,
                "join_url": f"https://zoom.example/w/{meeting_id}?tk={registrant_id}",
                "topic": "Grand rounds", "start_time": "2026-12-01T12:00:00Z"}
        return 201, existing, {}

    def _participants(self, meeting_id, query):
        if meeting_id not in self.meetings:
            return 404, {"code": 3001, "message": "Meeting does not exist."}, {}
        rows = self.meetings[meeting_id]
        size = min(int(query.get("page_size") or 30), 300)
        start = int(query.get("next_page_token") or 0)
        page = rows[start:start + size]
        following = start + size if start + size < len(rows) else None
        return 200, {"page_count": max((len(rows) + size - 1) // size, 1), "page_size": size,
                     "total_records": len(rows),
                     "next_page_token": str(following) if following is not None else "",
                     "participants": page}, {}


def signed_event(event: str, payload: dict, *, secret: str = WEBHOOK_SECRET,
                 timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers of a webhook call as Zoom signs it (v0:{timestamp}:{body})."""
    timestamp = timestamp if timestamp is not None else int(time.time() * 1000)
    body = json.dumps({"event": event, "event_ts": timestamp, "payload": payload}).encode()
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body,
                      hashlib.sha256).hexdigest()
    return body, {"HTTP_X_ZM_REQUEST_TIMESTAMP": str(timestamp),
                  "HTTP_X_ZM_SIGNATURE": f"v0={digest}"}
