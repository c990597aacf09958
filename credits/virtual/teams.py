"""The client for Microsoft Graph's online-meeting attendance reports (app-only), the one place
the portal talks to Graph.

Contracts followed (docs/virtual-attendance.md lists what to check before going live):
- token: POST {GRAPH_LOGIN_URL}/{tenant}/oauth2/v2.0/token, form grant_type=client_credentials,
  client_id, client_secret, scope=https://graph.microsoft.com/.default (Microsoft identity
  platform, client credentials flow). Application permission OnlineMeetingArtifact.Read.All,
  and an application access policy granted to the organizers.
- GET /users/{organizerId}/onlineMeetings/{meetingId}/attendanceReports -> {value: [{id, ...}]}
- GET .../attendanceReports/{reportId}/attendanceRecords -> {value: [{emailAddress, identity:
  {id, displayName}, totalAttendanceInSeconds, attendanceIntervals: [{joinDateTime,
  leaveDateTime, durationInSeconds}]}], @odata.nextLink}; an interval lacking data has null
  times and is skipped (learn.microsoft.com/graph/api/attendancerecord-list).
- 429 and 503 with Retry-After when throttled (learn.microsoft.com/graph/throttling).
"""
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.utils.dateparse import parse_datetime

from credits.virtual.http import cached_token, check_urls, open_json, with_token_renewal
from credits.virtual.intervals import JoinRow

TOKEN_CACHE_KEY = "virtual:graph:token"


def is_configured() -> bool:
    return bool(settings.GRAPH_TENANT_ID and settings.GRAPH_CLIENT_ID
                and settings.GRAPH_CLIENT_SECRET)


class GraphClient:
    def __init__(self, *, api_url: str, login_url: str, tenant_id: str, client_id: str,
                 client_secret: str, timeout: float):
        check_urls(api_url, login_url)
        self.api_url = api_url.rstrip("/")
        tenant = urllib.parse.quote(tenant_id)
        self.token_url = f"{login_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self.client_id, self.client_secret = client_id, client_secret
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "GraphClient":
        return cls(api_url=settings.GRAPH_API_URL, login_url=settings.GRAPH_LOGIN_URL,
                   tenant_id=settings.GRAPH_TENANT_ID, client_id=settings.GRAPH_CLIENT_ID,
                   client_secret=settings.GRAPH_CLIENT_SECRET,
                   timeout=settings.VIRTUAL_TIMEOUT_SECONDS)

    def access_token(self, *, renew: bool = False) -> str:
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials", "client_id": self.client_id,
            "client_secret": self.client_secret,
            "scope": "https://graph.microsoft.com/.default"}).encode()
        return cached_token(TOKEN_CACHE_KEY, lambda: open_json(
            urllib.request.Request(  # noqa: S310  (the scheme is checked)
                self.token_url, method="POST", data=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"}),
            service="Graph", timeout=self.timeout), renew=renew)

    def _get(self, url: str) -> dict:
        def send(renew: bool) -> dict:
            return open_json(urllib.request.Request(url, headers={  # noqa: S310  (checked)
                "Authorization": f"Bearer {self.access_token(renew=renew)}",
                "Accept": "application/json"}), service="Graph", timeout=self.timeout)

        return with_token_renewal(send)

    def _pages(self, url: str) -> Iterator[dict]:
        while url:
            answer = self._get(url)
            yield from answer.get("value", [])
            url = answer.get("@odata.nextLink", "")

    def meeting_attendance(self, *, organizer_id: str, meeting_id: str) -> Iterator[JoinRow]:
        """Every interval of every attendance record of every report of the meeting (a meeting
        held twice has two reports)."""
        meeting = (f"{self.api_url}/users/{urllib.parse.quote(organizer_id)}"
                   f"/onlineMeetings/{urllib.parse.quote(meeting_id)}")
        for report in list(self._pages(f"{meeting}/attendanceReports")):
            records = f"{meeting}/attendanceReports/{urllib.parse.quote(report['id'])}" \
                      "/attendanceRecords"
            for record in self._pages(records):
                identity = record.get("identity") or {}
                for interval in record.get("attendanceIntervals") or []:
                    joined = parse_datetime(interval.get("joinDateTime") or "")
                    left = parse_datetime(interval.get("leaveDateTime") or "")
                    if joined is None or left is None:
                        continue
                    yield JoinRow(registrant_id="",
                                  email=(record.get("emailAddress") or "").strip(),
                                  name=identity.get("displayName") or "",
                                  user_id=identity.get("id") or "", joined_at=joined,
                                  left_at=left)
