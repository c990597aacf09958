"""A local stand-in for ACCME's PARS web services as the portal reads them (docs/integrations.md,
"ACCME PARS web services"): XML over HTTP with the provider's web-services account (Basic),
activities registered before their learners, learner records matched by date of birth with a
board ID (MOC) or a licence/NPI (CME), never edited (deleted and submitted again), the boards'
answers read per record, and the documented refusals:

- 401 UNAUTHORIZED (wrong account), 404 ACTIVITY_NOT_FOUND, 400 INVALID_REQUEST (a field
  missing or malformed), 400 INVALID_BOARD_ID / LEARNER_NOT_MATCHED (the learner's details),
- 409 DUPLICATE_ACTIVITY / DUPLICATE_LEARNER naming the record PARS already holds.
"""
import base64
import itertools
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree

from tests.credits.boards.stand_in_http import StandIn

PROVIDER_ID = "0001234"
USERNAME, PASSWORD = "hospital-ws", "test-password"
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _error(status: int, code: str, message: str, **attributes) -> tuple[int, bytes]:
    errors = Element("Errors")
    SubElement(errors, "Error", {"code": code, **attributes}).text = message
    return status, tostring(errors)


def _one(tag: str, child: str, value: str) -> bytes:
    element = Element(tag)
    SubElement(element, child).text = value
    return tostring(element)


class ParsStandIn(StandIn):
    def __init__(self, *, diplomates: dict[str, tuple[str, str]] | None = None):
        super().__init__()
        self.diplomates = dict(diplomates or {})  # board ID -> (board, "MM/DD")
        self.activities: dict[str, dict] = {}
        self.learners: dict[str, dict] = {}  # learner id -> fields (with "deleted")
        self.board_answers: dict[str, tuple[str, str]] = {}  # board ID -> (status, words)
        self._ids = itertools.count(1001)

    def live_learners(self) -> list[dict]:
        return [fields for fields in self.learners.values() if not fields["deleted"]]

    def answer(self, method, path, headers, body):
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        prefix = f"/providers/{PROVIDER_ID}"
        if headers.get("Authorization") != expected or not path.startswith(prefix):
            return _error(401, "UNAUTHORIZED", "Unknown web-services account or provider.")
        path = path.removeprefix(prefix)
        if method == "POST" and path == "/activities":
            return self._activity(body)
        match = re.fullmatch(r"/activities/([^/]+)/learners", path)
        if method == "POST" and match:
            return self._learner(match.group(1), body)
        match = re.fullmatch(r"/learners/([^/]+)", path)
        if match and method == "DELETE":
            learner = self.learners.get(match.group(1))
            if learner is None or learner["deleted"]:
                return _error(404, "LEARNER_NOT_FOUND", "No such learner record.")
            learner["deleted"] = True
            return 204, b""
        if match and method == "GET":
            return self._board_status(match.group(1))
        return _error(404, "NOT_FOUND", "No such call.")

    def _fields(self, body) -> dict[str, str] | None:
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return None
        return {child.tag: (child.text or "") for child in root}

    def _activity(self, body):
        fields = self._fields(body)
        if not fields or not all(fields.get(name) for name in (
                "ProviderActivityId", "Title", "ActivityType", "StartDate", "EndDate")):
            return _error(400, "INVALID_REQUEST", "A required activity field is missing.")
        if not DATE.match(fields["StartDate"]) or not DATE.match(fields["EndDate"]):
            return _error(400, "INVALID_REQUEST", "Dates are MM/DD/YYYY, without a time.")
        for activity_id, known in self.activities.items():
            if known["ProviderActivityId"] == fields["ProviderActivityId"]:
                return _error(409, "DUPLICATE_ACTIVITY", "This activity is already in PARS.",
                              ActivityId=activity_id)
        activity_id = f"A{next(self._ids)}"
        self.activities[activity_id] = fields
        return 201, _one("Activity", "ActivityId", activity_id)

    def _learner(self, activity_id, body):
        if activity_id not in self.activities:
            return _error(404, "ACTIVITY_NOT_FOUND", "No such activity for this provider.")
        fields = self._fields(body)
        required = ("FirstName", "LastName", "DateOfBirth", "CompletionDate")
        if not fields or not all(fields.get(name) for name in required):
            return _error(400, "INVALID_REQUEST", "A required learner field is missing.")
        if not DATE.match(fields["CompletionDate"]):
            return _error(400, "INVALID_REQUEST", "CompletionDate is MM/DD/YYYY, without a time.")
        if fields.get("MocPoints"):
            known = self.diplomates.get(fields.get("BoardId", ""))
            if known is None or known[0] != fields.get("Board"):
                return _error(400, "INVALID_BOARD_ID",
                              "The board ID does not match a diplomate of this board.")
            if known[1] != fields["DateOfBirth"]:
                return _error(400, "LEARNER_NOT_MATCHED",
                              "The date of birth does not match the board's diplomate.")
        elif not (fields.get("LicenseId") or fields.get("Npi")):
            return _error(400, "INVALID_REQUEST", "CME records need a licence or an NPI.")
        for learner_id, known in self.learners.items():
            if (not known["deleted"] and known["activity"] == activity_id
                    and known["DateOfBirth"] == fields["DateOfBirth"]
                    and known["LastName"] == fields["LastName"]):
                return _error(409, "DUPLICATE_LEARNER", "This learner is already recorded for "
                              "this activity.", LearnerId=learner_id)
        learner_id = f"L{next(self._ids)}"
        self.learners[learner_id] = {**fields, "activity": activity_id, "deleted": False}
        return 201, _one("LearnerCompletion", "LearnerId", learner_id)

    def _board_status(self, learner_id):
        learner = self.learners.get(learner_id)
        if learner is None:
            return _error(404, "LEARNER_NOT_FOUND", "No such learner record.")
        root = Element("LearnerCompletion")
        SubElement(root, "LearnerId").text = learner_id
        if learner.get("MocPoints"):
            status, words = self.board_answers.get(learner.get("BoardId", ""), ("Pending", ""))
            SubElement(root, "BoardStatus", {"board": learner["Board"],
                                             "status": status}).text = words
        return 200, tostring(root)
