"""A local stand-in for NABP's CPE Monitor web service, implementing the documented request
(POST /v1/cpe/ACPECourseReporting, JSON: eProfileId, DOB MM-DD, CourseDate MM-DD-YYYY, UAN,
ProviderId, ParticipantType) and its answers: 200 accepted; 409 e-Profile not found or date of
birth not a match; 404 UAN not found; 400 late (over 60 days), duplicate or malformed; 401 a
wrong key; and the faults a network gives: slow answers past the client's timeout and 5xx.

Served by the stand-ins' common server (tests/stand_in_http.py); `requests` records every
submission received.
"""
import datetime
import json
import time

from tests.stand_in_http import StandInServer

API_KEY = "test-provider-key"
PROVIDER_ID = "0197"
LATE_AFTER_DAYS = 60


class CpeMonitorStandIn(StandInServer):
    def __init__(self, *, pharmacists: dict[str, str], uans: set[str],
                 today: datetime.date | None = None):
        super().__init__()
        self.pharmacists = dict(pharmacists)  # e-Profile ID -> "MM-DD"
        self.uans = set(uans)
        self.today = today or datetime.date.today()
        self.requests: list[dict] = []
        self.recorded: set[tuple] = set()
        self.faults: list[tuple[str, float]] = []  # ("slow", seconds) or ("status", 503)
        self.delay = 0.0  # every answer waits this long (overlapping workers)

    def answer(self, body: dict, authorization: str) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(body)
            fault = self.faults.pop(0) if self.faults else None
        if fault and fault[0] == "slow":
            time.sleep(fault[1])
        if fault and fault[0] == "status":
            return int(fault[1]), {"code": "SERVER_ERROR", "message": "Service unavailable."}
        if self.delay:
            time.sleep(self.delay)
        if authorization != f"Bearer {API_KEY}" or body.get("ProviderId") != PROVIDER_ID:
            return 401, {"code": "UNAUTHORIZED", "message": "Unknown provider or key."}
        required = ("eProfileId", "DOB", "CourseDate", "UAN", "ParticipantType")
        if any(not body.get(name) for name in required):
            return 400, {"code": "INVALID_REQUEST", "message": "A required field is missing."}
        try:
            course_date = datetime.datetime.strptime(body["CourseDate"], "%m-%d-%Y").date()
        except ValueError:
            return 400, {"code": "INVALID_REQUEST", "message": "CourseDate must be MM-DD-YYYY."}
        eprofile = str(body["eProfileId"])
        if eprofile not in self.pharmacists:
            return 409, {"code": "EPROFILE_NOT_FOUND", "message": "e-Profile not found."}
        if self.pharmacists[eprofile] != body["DOB"]:
            return 409, {"code": "EPROFILE_DOB_MISMATCH",
                         "message": "Provided DOB is not a match for this e-Profile ID."}
        if body["UAN"] not in self.uans:
            return 404, {"code": "UAN_NOT_FOUND",
                         "message": "The UAN is not set up for this provider."}
        if (self.today - course_date).days > LATE_AFTER_DAYS:
            return 400, {"code": "LATE_SUBMISSION",
                         "message": "Submitted more than 60 days after the activity."}
        key = (eprofile, body["UAN"], body["CourseDate"])
        with self.lock:
            if key in self.recorded:
                return 400, {"code": "DUPLICATE",
                             "message": "This activity is already on the learner's record."}
            self.recorded.add(key)
        return 200, {"code": "ACCEPTED", "message": "Activity recorded."}

    def receive(self, method, path, headers, body) -> tuple[int, dict[str, str], bytes]:
        if method != "POST" or path != "/v1/cpe/ACPECourseReporting":
            return self._json(404, {"code": "NOT_FOUND", "message": "No such call."})
        try:
            submission = json.loads(body or b"{}")
        except ValueError:
            return self._json(400, {"code": "INVALID_REQUEST", "message": "Not JSON."})
        return self._json(*self.answer(submission, headers.get("Authorization", "")))

    @staticmethod
    def _json(status: int, answer: dict) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": "application/json"}, json.dumps(answer).encode()
