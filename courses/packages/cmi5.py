"""Reading a cmi5 package's course structure (cmi5.xml): its course, its AUs in order, and how
each is launched and judged (cmi5 spec, section 13.1: AU metadata; section 14: course package).

An AU becomes an entry of the same list a SCORM manifest gives (courses.packages.manifest.Sco),
so the module's steps, the version page and the results read both alike; the cmi5 fields
(moveOn, launchMethod, launchParameters) ride along, and masteryScore, a scaled 0..1 mark like
SCORM 2004's, is kept as the scaled passing score.
"""
from decimal import Decimal
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .manifest import CMI5, Manifest, ManifestError, Sco, _attr, _child, _decimal, _local, _text

COURSE_STRUCTURE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
# The AU's id becomes the attempt's SCO identifier (credits.online.scorm.models.ScoAttempt).
MAX_ID = 200


def _langstring(element: Element | None) -> str:
    """The first langstring of a title or description (cmi5 langstring type)."""
    if element is None:
        return ""
    strings = [child for child in element if _local(child.tag) == "langstring"]
    return _text(strings[0]) if strings else _text(element)


def _au(au: Element, file_names: set[str]) -> Sco:
    identifier = _attr(au, "id")
    if not identifier:
        raise ManifestError("An <au> in cmi5.xml has no id.")
    if len(identifier) > MAX_ID:
        raise ManifestError(f"The AU id “{identifier[:60]}…” is longer than {MAX_ID} "
                            "characters.")
    title = _langstring(_child(au, "title"))
    if not title:
        raise ManifestError(f"AU “{identifier}” has no <title>.")
    move_on = _attr(au, "moveOn") or "NotApplicable"
    if move_on not in MOVE_ON:
        raise ManifestError(f"AU “{title}” has moveOn “{move_on}”; cmi5 allows "
                            f"{', '.join(MOVE_ON)}.")
    launch_method = _attr(au, "launchMethod") or "AnyWindow"
    if launch_method not in LAUNCH_METHODS:
        raise ManifestError(f"AU “{title}” has launchMethod “{launch_method}”; cmi5 allows "
                            "AnyWindow and OwnWindow.")
    mastery = _attr(au, "masteryScore")
    url = _text(_child(au, "url"))
    if not url:
        raise ManifestError(f"AU “{title}” has no <url> to launch.")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise ManifestError(f"AU “{title}” launches {url}, outside the zip; the portal plays "
                            "AUs whose files are in the package (a relative <url>).")
    if parts.path not in file_names:
        raise ManifestError(f"AU “{title}” launches “{parts.path}”, which is not in the zip.")
    return Sco(identifier=identifier, title=title, href=url,
               scaled_passing_score=(_decimal(mastery, Decimal(0), Decimal(1), "masteryScore")
                                     if mastery else None),
               move_on=move_on, launch_method=launch_method,
               launch_parameters=_text(_child(au, "launchParameters")))


def course_structure_parse(data: bytes, *, file_names: set[str]) -> Manifest:
    """The cmi5 course described by cmi5.xml; ManifestError names what is wrong."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        raise ManifestError(f"cmi5.xml is not well-formed XML ({error}).") from None
    if _local(root.tag) != "courseStructure":
        raise ManifestError("cmi5.xml does not start with a <courseStructure> element.")
    if not root.tag.startswith("{" + COURSE_STRUCTURE + "}"):
        raise ManifestError(f"cmi5.xml's <courseStructure> is not in the cmi5 namespace "
                            f"({COURSE_STRUCTURE}).")
    course = _child(root, "course")
    if course is None or not _attr(course, "id"):
        raise ManifestError("cmi5.xml has no <course> with an id.")
    aus = [_au(element, file_names) for element in root.iter() if _local(element.tag) == "au"]
    if not aus:
        raise ManifestError("cmi5.xml has no <au> to launch.")
    identifiers = [au.identifier for au in aus]
    if len(set(identifiers)) != len(identifiers):
        raise ManifestError("Two AUs in cmi5.xml share an id; each must be unique.")
    return Manifest(standard=CMI5, schema_version="cmi5",
                    title=_langstring(_child(course, "title")) or aus[0].title,
                    scos=aus, course_id=_attr(course, "id"))
