"""The transport to ACCME's PARS web services: activities, learner completion records (CME and
MOC), their deletion (PARS learner records cannot be edited) and the boards' answers.

The portal's reading of ACCME's "PARS Web Services Production Release Documentation"
(715_20160414) and its "Reporting Learner Data in PARS" tutorial: XML over HTTPS with the
provider's web-services account (HTTP Basic), an activity registered before any learner record,
dates without a time, learners matched by date of birth (MM/DD) with a licence or NPI for CME
and a board ID for MOC, and corrections made by deleting the record and submitting it again.
What must be checked against ACCME's live service is listed in docs/integrations.md
("ACCME PARS web services").
"""
import base64
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import tostring  # noqa: S405 (serialising only)

from django.conf import settings

from credits.webservices.transport import Answer, Outcome, check_url, exchange, no_answer, to_xml

SERVICE = "ACCME PARS"
# ACCME's codes and who fixes what each names; any other refusal is the office's.
LEARNER_CODES = {"LEARNER_NOT_MATCHED", "INVALID_BOARD_ID", "INVALID_DOB", "INVALID_LICENSE"}
DUPLICATES = {"DUPLICATE_ACTIVITY", "DUPLICATE_LEARNER"}
BOARD_STATUSES = {"accepted", "rejected", "pending"}


@dataclass(frozen=True)
class ActivityRecord:
    provider_activity_id: str
    title: str
    activity_type: str  # "Course" or "Internet Enduring Material"
    start_date: str  # MM/DD/YYYY
    end_date: str
    max_credits: Decimal
    moc_board: str  # "ABIM" or ""
    moc_points: Decimal | None

    def xml(self):
        return to_xml("Activity", {
            "ProviderActivityId": self.provider_activity_id, "Title": self.title,
            "ActivityType": self.activity_type, "StartDate": self.start_date,
            "EndDate": self.end_date, "MaxCredits": f"{self.max_credits:.2f}",
            "MocBoard": self.moc_board or None,
            "MocPoints": f"{self.moc_points:.2f}" if self.moc_points else None})


@dataclass(frozen=True)
class LearnerRecord:
    first_name: str
    last_name: str
    birth_mmdd: str  # MM/DD
    completion_date: str  # MM/DD/YYYY
    licensing_state: str
    licence_id: str
    npi: str
    cme_credits: Decimal
    board: str
    board_id: str
    moc_points: Decimal

    def xml(self):
        return to_xml("LearnerCompletion", {
            "FirstName": self.first_name, "LastName": self.last_name,
            "DateOfBirth": self.birth_mmdd, "CompletionDate": self.completion_date,
            "LicensingState": self.licensing_state or None,
            "LicenseId": self.licence_id or None, "Npi": self.npi or None,
            "CmeCredits": f"{self.cme_credits:.2f}" if self.cme_credits else None,
            "Board": self.board or None, "BoardId": self.board_id or None,
            "MocPoints": f"{self.moc_points:.2f}" if self.moc_points else None})


class ParsClient:
    """Base URL, provider number and web-services account from settings.PARS_*."""

    def __init__(self, *, base_url: str, provider_id: str, username: str, password: str,
                 timeout: float):
        self.base_url = check_url("PARS_URL", base_url)
        self.provider_id = provider_id
        credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.authorization = f"Basic {credentials}"
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "ParsClient | None":
        """None without PARS_URL (the demo): nothing is sent, the file exports remain."""
        if not settings.PARS_URL:
            return None
        return cls(base_url=settings.PARS_URL, provider_id=settings.PARS_PROVIDER_ID,
                   username=settings.PARS_USERNAME, password=settings.PARS_PASSWORD,
                   timeout=settings.PARS_TIMEOUT_SECONDS)

    def _call(self, method: str, path: str, element=None):
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            f"{self.base_url}/providers/{self.provider_id}{path}", method=method,
            data=tostring(element, encoding="utf-8") if element is not None else None,
            headers={"Content-Type": "application/xml; charset=utf-8",
                     "Accept": "application/xml", "Authorization": self.authorization})
        return exchange(request, service=SERVICE, timeout=self.timeout)

    def activity_save(self, activity: ActivityRecord) -> Answer:
        return _saved(self._call("POST", "/activities", activity.xml()), "ActivityId")

    def learner_save(self, *, activity_id: str, learner: LearnerRecord) -> Answer:
        return _saved(self._call("POST", f"/activities/{activity_id}/learners", learner.xml()),
                      "LearnerId")

    def learner_delete(self, learner_id: str) -> Answer:
        """A record already gone (404) counts as deleted: a retry after a lost answer."""
        reply = self._call("DELETE", f"/learners/{learner_id}")
        if reply.status in (200, 204, 404):
            return Answer(Outcome.ACCEPTED, "DELETED", "Deleted from PARS.", reply.status)
        return no_answer(reply) or _refused(reply)

    def learner_board_status(self, learner_id: str) -> Answer:
        """The board's answer on an MOC record: values {"board_status", "board"}."""
        reply = self._call("GET", f"/learners/{learner_id}")
        transient = no_answer(reply)
        if transient:
            return transient
        if reply.status != 200 or reply.root is None:
            return _refused(reply)
        status_element = reply.root.find("BoardStatus")
        status = (status_element.get("status", "") if status_element is not None else "").lower()
        status = status if status in BOARD_STATUSES else "pending"
        message = (status_element.text or "").strip() if status_element is not None else ""
        board = status_element.get("board", "") if status_element is not None else ""
        return Answer(Outcome.ACCEPTED, status.upper(), message, reply.status,
                      remote_id=learner_id, values={"board_status": status, "board": board})


def _error(reply) -> tuple[str, str]:
    error = reply.root.find("Error") if reply.root is not None else None
    if error is None:
        return f"HTTP_{reply.status}", f"ACCME PARS refused the record ({reply.status})."
    return (error.get("code", "").upper() or f"HTTP_{reply.status}",
            (error.text or "").strip() or f"ACCME PARS refused the record ({reply.status}).")


def _refused(reply) -> Answer:
    code, message = _error(reply)
    return Answer(Outcome.REJECTED, code, message, reply.status,
                  fix_by="learner" if code in LEARNER_CODES else "office")


def _saved(reply, id_tag: str) -> Answer:
    """201 with the new id; a duplicate (409 naming the record PARS already holds: an earlier
    answer was lost) counts as accepted with that id."""
    transient = no_answer(reply)
    if transient:
        return transient
    if reply.status in (200, 201) and reply.root is not None:
        remote_id = (reply.root.findtext(id_tag) or "").strip()
        if remote_id:
            return Answer(Outcome.ACCEPTED, "ACCEPTED", "Accepted by ACCME PARS.",
                          reply.status, remote_id=remote_id)
    code, message = _error(reply)
    existing = reply.root.find("Error").get(id_tag, "") if (
        reply.root is not None and reply.root.find("Error") is not None) else ""
    if code in DUPLICATES and existing:
        return Answer(Outcome.ACCEPTED, code, message, reply.status, remote_id=existing)
    return _refused(reply)
