"""The transport to NABP's CPE Monitor: one JSON POST per completed ACPE activity.

The request and the answers follow NABP's published "ACPE Course Reporting API"
(POST /v1/cpe/ACPECourseReporting: eProfileId, DOB as MM-DD, course date as MM-DD-YYYY, UAN;
409 for a date of birth that does not match or an e-Profile that is not found) and ACPE's CPE
Monitor Technical Specifications (provider ID, participant type P/T, the 60-day limit,
duplicates). What must be checked against NABP's current specification before going live is
listed in docs/integrations.md ("CPE Monitor and MOC reporting").
"""
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

SUBMIT_PATH = "/v1/cpe/ACPECourseReporting"


class Outcome:
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRANSIENT = "transient"


@dataclass(frozen=True)
class Submission:
    eprofile_id: str
    birth_mmdd: str        # "MM-DD"
    participation_date: str  # "MM-DD-YYYY"
    uan: str
    participant_type: str  # "P" pharmacist, "T" technician
    title: str
    home_study: bool

    def payload(self, provider_id: str) -> dict:
        return {
            "ProviderId": provider_id, "eProfileId": self.eprofile_id, "DOB": self.birth_mmdd,
            "CourseDate": self.participation_date, "UAN": self.uan,
            "ParticipantType": self.participant_type, "Title": self.title,
            "Format": "Home Study" if self.home_study else "Live",
        }


@dataclass(frozen=True)
class Answer:
    outcome: str
    code: str
    message: str
    http_status: int | None = None
    fix_by: str = ""  # "learner" (profile) or "office"


# The service's codes (in the JSON body) and what the portal does with each. A duplicate means
# CPE Monitor already holds this completion (an earlier answer was lost): it counts as accepted.
REJECTIONS = {
    "EPROFILE_DOB_MISMATCH": "learner",
    "EPROFILE_NOT_FOUND": "learner",
    "UAN_NOT_FOUND": "office",
    "LATE_SUBMISSION": "office",
    "INVALID_REQUEST": "office",
    "UNAUTHORIZED": "office",
}
LEARNER_STATUSES = {409: "EPROFILE_DOB_MISMATCH"}
OFFICE_STATUSES = {400: "INVALID_REQUEST", 401: "UNAUTHORIZED", 403: "UNAUTHORIZED",
                   404: "UAN_NOT_FOUND"}


class CpeMonitorClient:
    """Base URL, provider number and API key from the environment (settings.CPE_MONITOR_*)."""

    def __init__(self, *, base_url: str, provider_id: str, api_key: str, timeout: float):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError("CPE_MONITOR_URL must be an http(s) URL.")
        self.base_url = base_url.rstrip("/")
        self.provider_id = provider_id
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "CpeMonitorClient | None":
        """None when no CPE_MONITOR_URL is configured (the local demo): nothing is sent."""
        if not settings.CPE_MONITOR_URL:
            return None
        return cls(base_url=settings.CPE_MONITOR_URL,
                   provider_id=settings.CPE_MONITOR_PROVIDER_ID,
                   api_key=settings.CPE_MONITOR_API_KEY,
                   timeout=settings.CPE_MONITOR_TIMEOUT_SECONDS)

    def submit(self, submission: Submission) -> Answer:
        body = json.dumps(submission.payload(self.provider_id)).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.base_url + SUBMIT_PATH, data=body, method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Bearer {self.api_key}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return self._read(response.status, response.read())
        except urllib.error.HTTPError as error:
            return self._read(error.code, error.read())
        except TimeoutError:
            return Answer(Outcome.TRANSIENT, "TIMEOUT",
                          f"CPE Monitor did not answer within {self.timeout:g} seconds.")
        except (urllib.error.URLError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                return Answer(Outcome.TRANSIENT, "TIMEOUT",
                              f"CPE Monitor did not answer within {self.timeout:g} seconds.")
            return Answer(Outcome.TRANSIENT, "UNREACHABLE",
                          f"CPE Monitor could not be reached ({reason}).")

    @staticmethod
    def _read(status: int, raw: bytes) -> Answer:
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code = str(data.get("code") or "").upper()
        message = str(data.get("message") or "").strip()
        if status >= 500:
            return Answer(Outcome.TRANSIENT, code or f"HTTP_{status}",
                          message or f"CPE Monitor answered with a server error ({status}).",
                          status)
        if 200 <= status < 300 or code == "DUPLICATE":
            return Answer(Outcome.ACCEPTED, code or "ACCEPTED",
                          message or "Accepted by CPE Monitor.", status)
        code = code if code in REJECTIONS else (
            LEARNER_STATUSES.get(status) or OFFICE_STATUSES.get(status) or f"HTTP_{status}")
        return Answer(Outcome.REJECTED, code,
                      message or f"CPE Monitor refused the submission ({status}).", status,
                      fix_by=REJECTIONS.get(code, "office"))
