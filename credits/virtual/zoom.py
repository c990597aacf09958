"""The client for Zoom's REST API and webhooks (Server-to-Server OAuth), the one place the
portal talks to Zoom.

Contracts followed (docs/virtual-attendance.md lists what to check before going live):
- token: POST {ZOOM_OAUTH_URL}?grant_type=account_credentials&account_id=..., HTTP Basic with
  the client id and secret; `access_token` lives `expires_in` seconds (one hour), no refresh
  token (developers.zoom.us/docs/internal-apps/s2s-oauth/).
- POST /meetings/{meetingId}/registrants {email, first_name, last_name} -> {registrant_id or id,
  join_url} (the personal join link).
- GET /report/meetings/{meetingId}/participants?page_size=300&next_page_token=... ->
  {participants: [{id, user_id, name, user_email, join_time, leave_time, duration,
  registrant_id}], next_page_token}; one row per join, so a re-join is a second row.
- 429 with Retry-After when rate-limited (developers.zoom.us/docs/api/rate-limits/).
- Webhooks: x-zm-signature is "v0=" + hex HMAC-SHA256 of "v0:{x-zm-request-timestamp}:{body}"
  with the secret token; endpoint.url_validation is answered with {plainToken, encryptedToken}
  (hex HMAC-SHA256 of plainToken) (developers.zoom.us/docs/api/webhooks/).
"""
import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.dateparse import parse_datetime

from credits.virtual.http import cached_token, check_urls, open_json, with_token_renewal
from credits.virtual.intervals import JoinRow

TOKEN_CACHE_KEY = "virtual:zoom:token"
PAGE_SIZE = 300  # the report's maximum


@dataclass(frozen=True)
class Registrant:
    registrant_id: str
    join_url: str


def is_configured() -> bool:
    return bool(settings.ZOOM_ACCOUNT_ID and settings.ZOOM_CLIENT_ID
                and settings.ZOOM_CLIENT_SECRET)


def webhook_secret_is_set() -> bool:
    return bool(settings.ZOOM_WEBHOOK_SECRET_TOKEN)


def webhook_signature(*, timestamp: str, body: bytes, secret: str | None = None) -> str:
    secret = secret if secret is not None else settings.ZOOM_WEBHOOK_SECRET_TOKEN
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def url_validation_answer(plain_token: str) -> dict:
    encrypted = hmac.new(settings.ZOOM_WEBHOOK_SECRET_TOKEN.encode(), plain_token.encode(),
                         hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


class ZoomClient:
    def __init__(self, *, api_url: str, oauth_url: str, account_id: str, client_id: str,
                 client_secret: str, timeout: float):
        check_urls(api_url, oauth_url)
        self.api_url = api_url.rstrip("/")
        self.oauth_url = oauth_url
        self.account_id = account_id
        self.basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "ZoomClient":
        return cls(api_url=settings.ZOOM_API_URL, oauth_url=settings.ZOOM_OAUTH_URL,
                   account_id=settings.ZOOM_ACCOUNT_ID, client_id=settings.ZOOM_CLIENT_ID,
                   client_secret=settings.ZOOM_CLIENT_SECRET,
                   timeout=settings.VIRTUAL_TIMEOUT_SECONDS)

    def access_token(self, *, renew: bool = False) -> str:
        query = urllib.parse.urlencode({"grant_type": "account_credentials",
                                        "account_id": self.account_id})
        return cached_token(TOKEN_CACHE_KEY, lambda: open_json(
            urllib.request.Request(  # noqa: S310  (the scheme is checked)
                f"{self.oauth_url}?{query}", method="POST", data=b"",
                headers={"Authorization": f"Basic {self.basic}",
                         "Content-Type": "application/x-www-form-urlencoded"}),
            service="Zoom", timeout=self.timeout), renew=renew)

    def _call(self, method: str, path: str, *, query: dict | None = None,
              payload: dict | None = None) -> dict:
        url = f"{self.api_url}{path}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
        data = json.dumps(payload).encode() if payload is not None else None

        def send(renew: bool) -> dict:
            return open_json(urllib.request.Request(  # noqa: S310  (the scheme is checked)
                url, method=method, data=data, headers={
                    "Authorization": f"Bearer {self.access_token(renew=renew)}",
                    "Content-Type": "application/json", "Accept": "application/json"}),
                service="Zoom", timeout=self.timeout)

        return with_token_renewal(send)

    def registrant_add(self, *, meeting_id: str, email: str, first_name: str,
                       last_name: str) -> Registrant:
        answer = self._call("POST", f"/meetings/{urllib.parse.quote(meeting_id)}/registrants",
                            payload={"email": email, "first_name": first_name or email,
                                     "last_name": last_name})
        return Registrant(registrant_id=str(answer.get("registrant_id") or answer["id"]),
                          join_url=answer["join_url"])

    def meeting_participants(self, *, meeting_id: str) -> Iterator[JoinRow]:
        """Every row of the report, page by page."""
        token = ""
        while True:
            answer = self._call(
                "GET", f"/report/meetings/{urllib.parse.quote(meeting_id)}/participants",
                query={"page_size": PAGE_SIZE, "next_page_token": token})
            for row in answer.get("participants", []):
                joined, left = parse_datetime(row["join_time"]), parse_datetime(row["leave_time"])
                if joined is None or left is None:
                    continue
                yield JoinRow(
                    registrant_id=row.get("registrant_id") or "",
                    email=(row.get("user_email") or "").strip(), name=row.get("name") or "",
                    user_id=str(row.get("user_id") or row.get("id") or ""),
                    joined_at=joined, left_at=left)
            token = answer.get("next_page_token") or ""
            if not token:
                return
