"""A local stand-in for CE Broker's web services as the portal reads them (docs/integrations.md,
"CE Broker"): XML messages posted as the form field InXML with the provider's ID and upload key
on the message; a course (tracking number 20-…) before its publishings (one per live date) and
rosters; a receipt mirroring the message whose `Message` attribute is empty on success and holds
the refusal otherwise ("Invalid provider or upload key", "Course not found", "License not
found…", "Duplicate: …"); and the licence validation call (POST ValidateLicense, answering
<license valid="true|false" Message="…"/>).
"""
import itertools
import urllib.parse
from contextlib import contextmanager
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree

from tests.credits.boards.stand_in_http import StandIn, settings_point_at

PROVIDER_ID = "50-4321"
UPLOAD_KEY = "test-upload-key"


@contextmanager
def ce_broker_serving(settings, *, licensees: set[tuple[str, str, str]]):
    """A running stand-in knowing these (licence, profession code, state), the portal's
    settings pointed at it."""
    with CeBrokerStandIn(licensees=licensees) as server:
        settings_point_at(settings, "CE_BROKER", server, PROVIDER_ID=PROVIDER_ID,
                          UPLOAD_KEY=UPLOAD_KEY)
        yield server


class CeBrokerStandIn(StandIn):
    def __init__(self, *, licensees: set[tuple[str, str, str]]):
        super().__init__()
        self.licensees = set(licensees)  # (licence number, profession code, state)
        self.courses: dict[str, dict] = {}  # id_course -> attributes
        self.publishings: dict[str, dict] = {}
        self.roster: list[dict] = []  # attendees credited
        self._ids = itertools.count(501)

    def answer(self, method, path, headers, body):
        fields = dict(urllib.parse.parse_qsl(body.decode()))
        if method == "POST" and path == "/ValidateLicense":
            return self._validate(fields)
        if method == "POST" and path == "/UploadXMLString":
            try:
                message = ElementTree.fromstring(fields.get("InXML", ""))
            except ElementTree.ParseError:
                return 400, b"<error Message='InXML is not XML.'/>"
            return 200, tostring(self._upload(message))
        return 404, b"<error Message='No such call.'/>"

    def _authorised(self, fields) -> bool:
        return (fields.get("id_parent_provider") == PROVIDER_ID
                and fields.get("upload_key") == UPLOAD_KEY)

    def _validate(self, fields):
        if not self._authorised(fields):
            return 401, b"<license valid='false' Message='Invalid provider or upload key.'/>"
        key = (fields.get("license"), fields.get("cd_profession"), fields.get("state"))
        if key in self.licensees:
            return 200, b"<license valid='true' Message=''/>"
        words = (f"License {key[0]} not found for profession {key[1]} in {key[2]}. Enter the "
                 f"full number as the state's license verification shows it.")
        return 200, tostring(Element("license", {"valid": "false", "Message": words}))

    def _upload(self, message):
        receipt = Element(message.tag)
        for node in message:
            answer = SubElement(receipt, node.tag, dict(node.attrib))
            if not self._authorised(message.attrib):
                answer.set("Message", "Invalid provider or upload key.")
            elif node.tag == "course":
                self._course(node, answer)
            elif node.tag == "publishing":
                self._publishing(node, answer)
            elif node.tag == "roster":
                self._roster(node, answer)
            else:
                answer.set("Message", f"Unknown data type {node.tag}.")
        return receipt

    def _course(self, node, answer):
        if not all(node.get(name) for name in ("provider_course_code", "name", "hours")):
            answer.set("Message", "A required course attribute is missing.")
            return
        for id_course, known in self.courses.items():
            if known["provider_course_code"] == node.get("provider_course_code"):
                answer.set("id_course", id_course)
                answer.set("Message", "Duplicate: this provider course code already exists.")
                return
        id_course = f"20-{next(self._ids)}"
        self.courses[id_course] = dict(node.attrib)
        answer.set("id_course", id_course)
        answer.set("Message", "")

    def _publishing(self, node, answer):
        if node.get("id_course") not in self.courses:
            answer.set("Message", "Course not found.")
            return
        for id_publishing, known in self.publishings.items():
            if known == dict(node.attrib):
                answer.set("id_publishing", id_publishing)
                answer.set("Message", "Duplicate: this publishing already exists.")
                return
        id_publishing = str(next(self._ids))
        self.publishings[id_publishing] = dict(node.attrib)
        answer.set("id_publishing", id_publishing)
        answer.set("Message", "")

    def _roster(self, node, answer):
        answer.set("Message", "")
        if node.get("id_course") not in self.courses:
            answer.set("Message", "Course not found.")
            return
        if node.get("id_publishing") and node.get("id_publishing") not in self.publishings:
            answer.set("Message", "Publishing not found.")
            return
        attendees = SubElement(answer, "attendees")
        for attendee in node.iter("attendee"):
            line = SubElement(attendees, "attendee", {"license": attendee.get("license", "")})
            key = (attendee.get("license"), attendee.get("cd_profession"), attendee.get("state"))
            credited = {**attendee.attrib, "id_course": node.get("id_course"),
                        "id_publishing": node.get("id_publishing", "")}
            if key not in self.licensees:
                line.set("Message", f"License not found for profession {key[1]} in {key[2]}.")
            elif any(known["license"] == credited["license"]
                     and known["id_course"] == credited["id_course"]
                     and known["dt_completed"] == credited["dt_completed"]
                     for known in self.roster):
                line.set("Message", "Duplicate: this licensee already has this course's credit "
                                    "for that date.")
            else:
                self.roster.append(credited)
                line.set("Message", "")
