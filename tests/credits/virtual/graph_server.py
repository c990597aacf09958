"""A local stand-in for Microsoft Graph's online-meeting attendance reports, implementing the
documented contracts the portal uses:

- POST /{tenant}/oauth2/v2.0/token (form: grant_type=client_credentials, client_id,
  client_secret, scope=https://graph.microsoft.com/.default) -> {token_type, expires_in,
  access_token}; 400 {error: invalid_client} otherwise.
- Bearer token on every /v1.0 call, else 401 {error: {code: InvalidAuthenticationToken}}.
- GET /v1.0/users/{organizerId}/onlineMeetings/{meetingId}/attendanceReports -> {value: [{id,
  totalParticipantCount, meetingStartDateTime, meetingEndDateTime}]}; 404 {error: {code:
  NotFound}} for an unknown meeting or organizer.
- GET .../attendanceReports/{reportId}/attendanceRecords -> {value: [{emailAddress, identity:
  {id, displayName}, role, totalAttendanceInSeconds, attendanceIntervals: [{joinDateTime,
  leaveDateTime, durationInSeconds}]}], @odata.nextLink} in pages of PAGE_SIZE.
- 429 or 503 with Retry-After from the fault queue (Graph's throttling).
"""
import datetime
import itertools
import urllib.parse

from tests.credits.virtual.contract_server import StandIn

TENANT_ID = "tenant-test"
CLIENT_ID = "graph-client-test"
CLIENT_SECRET = "graph-secret-test"
ORGANIZER_ID = "6e0d6d3a-4a4e-4c4b-9a3e-0d0c1b2a3f4e"
PAGE_SIZE = 2


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class GraphStandIn(StandIn):
    def __init__(self):
        super().__init__()
        # meeting id -> report id -> records
        self.reports: dict[str, dict[str, list[dict]]] = {}
        self.tokens: set[str] = set()
        self.ids = itertools.count(1)

    def meeting_add(self, meeting_id: str) -> str:
        report_id = f"report-{next(self.ids)}"
        self.reports.setdefault(meeting_id, {})[report_id] = []
        return report_id

    def attendee(self, meeting_id: str, *, name: str, email: str,
                 intervals: list[tuple[datetime.datetime, datetime.datetime]]) -> None:
        report_id = next(iter(self.reports[meeting_id]))
        self.reports[meeting_id][report_id].append({
            "emailAddress": email, "role": "Attendee",
            "identity": {"id": f"id-{next(self.ids)}", "displayName": name, "tenantId": None},
            "totalAttendanceInSeconds": int(sum((end - start).total_seconds()
                                                for start, end in intervals)),
            "attendanceIntervals": [{"joinDateTime": _iso(start), "leaveDateTime": _iso(end),
                                     "durationInSeconds": int((end - start).total_seconds())}
                                    for start, end in intervals]})

    def route(self, method, path, query, headers, body):
        if method == "POST" and path == f"/{TENANT_ID}/oauth2/v2.0/token":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if (form.get("grant_type") != "client_credentials"
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("scope") != "https://graph.microsoft.com/.default"):
                return 400, {"error": "invalid_client",
                             "error_description": "AADSTS7000215: Invalid client secret."}, {}
            token = f"graph-token-{next(self.ids)}"
            self.tokens.add(token)
            return 200, {"token_type": "Bearer", "expires_in": 3599,
                         "access_token": token}, {}
        authorization = headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.tokens:
            return 401, {"error": {"code": "InvalidAuthenticationToken",
                                   "message": "Access token has expired or is not yet valid."}}, {}
        parts = path.strip("/").split("/")
        not_found = (404, {"error": {"code": "NotFound", "message": "Not found."}}, {})
        if parts[:2] != ["v1.0", "users"] or len(parts) < 6 or parts[3] != "onlineMeetings" \
                or parts[2] != ORGANIZER_ID or parts[4] not in self.reports:
            return not_found
        reports = self.reports[parts[4]]
        if parts[5:] == ["attendanceReports"]:
            return 200, {"value": [{"id": report_id, "totalParticipantCount": len(records)}
                                   for report_id, records in reports.items()]}, {}
        if len(parts) == 8 and parts[7] == "attendanceRecords" and parts[6] in reports:
            records = reports[parts[6]]
            skip = int(query.get("$skiptoken") or 0)
            answer = {"value": records[skip:skip + PAGE_SIZE]}
            if skip + PAGE_SIZE < len(records):
                answer["@odata.nextLink"] = (f"{self.url}{path}?$skiptoken={skip + PAGE_SIZE}")
            return 200, answer, {}
        return not_found
