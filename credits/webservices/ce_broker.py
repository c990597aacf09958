"""The transport to CE Broker's web services: a course, its publishings (one per live date),
roster lines (an attendee's licence, profession, state, date and hours) and the licence
validation call made before a roster line is posted.

The portal's reading of CE Broker's help-center articles "Reporting and License Validation via
Web Services (system-to-system)", "XML Return Receipts", "Parent and Child Providers - Creating
courses and submitting completions" and "Web Service Roster posting update (Role 1 to Role 2)":
XML messages posted to the .NET web service as the form field InXML, the provider's ID and
upload key on the message, a course (tracking number 20-…) before its publishings and rosters,
a receipt mirroring the message whose `Message` attribute is empty on success, and the full
licence number as the state's verification database writes it. What must be checked against
the live service is listed in docs/integrations.md ("CE Broker").
"""
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element, tostring  # noqa: S405 (built, never parsed, here)

from django.conf import settings

from credits.webservices.transport import Answer, Outcome, check_url, exchange, no_answer

SERVICE = "CE Broker"
UPLOAD_PATH = "/UploadXMLString"
VALIDATE_PATH = "/ValidateLicense"


@dataclass(frozen=True)
class CourseMessage:
    provider_course_code: str
    name: str
    hours: Decimal
    live: bool

    def element(self) -> Element:
        return Element("course", {"provider_course_code": self.provider_course_code,
                                  "name": self.name, "hours": f"{self.hours:.2f}",
                                  "course_type": "live" if self.live else "anytime"})


@dataclass(frozen=True)
class PublishingMessage:
    id_course: str
    date: str  # MM/DD/YYYY

    def element(self) -> Element:
        return Element("publishing", {"id_course": self.id_course, "dt_start": self.date})


@dataclass(frozen=True)
class RosterLine:
    id_course: str
    id_publishing: str
    licence: str
    profession_code: str
    state: str
    first_name: str
    last_name: str
    completed_on: str  # MM/DD/YYYY
    hours: Decimal

    def element(self) -> Element:
        roster = Element("roster", {"id_course": self.id_course,
                                    **({"id_publishing": self.id_publishing}
                                       if self.id_publishing else {})})
        attendees = Element("attendees")
        attendees.append(Element("attendee", {
            "license": self.licence, "cd_profession": self.profession_code,
            "state": self.state, "first_name": self.first_name, "last_name": self.last_name,
            "dt_completed": self.completed_on, "partial_credit_hours": f"{self.hours:.2f}"}))
        roster.append(attendees)
        return roster


class CeBrokerClient:
    """Base URL, provider ID and upload key from settings.CE_BROKER_*."""

    def __init__(self, *, base_url: str, provider_id: str, upload_key: str, timeout: float):
        self.base_url = check_url("CE_BROKER_URL", base_url)
        self.provider_id = provider_id
        self.upload_key = upload_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "CeBrokerClient | None":
        """None without CE_BROKER_URL (the demo): nothing is sent and the pages say so."""
        if not settings.CE_BROKER_URL:
            return None
        return cls(base_url=settings.CE_BROKER_URL, provider_id=settings.CE_BROKER_PROVIDER_ID,
                   upload_key=settings.CE_BROKER_UPLOAD_KEY,
                   timeout=settings.CE_BROKER_TIMEOUT_SECONDS)

    def _post(self, path: str, fields: dict[str, str]):
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.base_url + path, method="POST",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/xml"})
        return exchange(request, service=SERVICE, timeout=self.timeout)

    def _upload(self, wrapper: str, element: Element, id_attribute: str) -> Answer:
        message = Element(wrapper, {"id_parent_provider": self.provider_id,
                                    "upload_key": self.upload_key})
        message.append(element)
        reply = self._post(UPLOAD_PATH, {"InXML": tostring(message, encoding="unicode")})
        transient = no_answer(reply)
        if transient:
            return transient
        node = reply.root.find(element.tag) if reply.root is not None else None
        if reply.status != 200 or node is None:
            return Answer(Outcome.REJECTED, f"HTTP_{reply.status}",
                          f"CE Broker refused the message ({reply.status}).", reply.status,
                          fix_by="office")
        attendee = node.find("attendees/attendee")
        words = ((attendee.get("Message") if attendee is not None else "")
                 or node.get("Message") or "").strip()
        if not words or words.lower().startswith("duplicate"):
            # A duplicate: CE Broker already holds it (an earlier receipt was lost).
            return Answer(Outcome.ACCEPTED, "DUPLICATE" if words else "ACCEPTED",
                          words or "Accepted by CE Broker.", reply.status,
                          remote_id=node.get(id_attribute, ""))
        learner = attendee is not None and "licen" in words.lower()
        return Answer(Outcome.REJECTED, "REFUSED", words, reply.status,
                      fix_by="learner" if learner else "office")

    def course_save(self, course: CourseMessage) -> Answer:
        return self._upload("courses", course.element(), "id_course")

    def publishing_save(self, publishing: PublishingMessage) -> Answer:
        return self._upload("publishings", publishing.element(), "id_publishing")

    def roster_post(self, line: RosterLine) -> Answer:
        return self._upload("rosters", line.element(), "id_roster")

    def licence_validate(self, *, licence: str, profession_code: str, state: str) -> Answer:
        """ACCEPTED when CE Broker knows this licence for this profession and state."""
        reply = self._post(VALIDATE_PATH, {
            "id_parent_provider": self.provider_id, "upload_key": self.upload_key,
            "license": licence, "cd_profession": profession_code, "state": state})
        transient = no_answer(reply)
        if transient:
            return transient
        root = reply.root
        if reply.status == 200 and root is not None and root.get("valid") == "true":
            return Answer(Outcome.ACCEPTED, "LICENSE_VALID", "Licence found.", reply.status)
        if reply.status == 200 and root is not None and root.get("valid") == "false":
            return Answer(Outcome.REJECTED, "LICENSE_NOT_FOUND",
                          (root.get("Message") or "").strip()
                          or "CE Broker does not know this licence number.", reply.status,
                          fix_by="learner")
        return Answer(Outcome.REJECTED, f"HTTP_{reply.status}",
                      (root.get("Message") if root is not None else "")
                      or f"CE Broker refused the licence check ({reply.status}).",
                      reply.status, fix_by="office")
