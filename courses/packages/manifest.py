"""Reading a SCORM package's imsmanifest.xml: its schema version, title, SCOs and pass marks.

SCORM 1.2 (ADL SCORM 1.2 Content Aggregation Model) and SCORM 2004 3rd/4th edition (CAM 1.3 and
IMS Simple Sequencing) name their version in `<metadata><schemaversion>`; packages that leave
it out are recognised by the ADL namespaces they declare. Anything else is refused by name.
"""
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SCORM_12 = "scorm12"
SCORM_2004 = "scorm2004"
CMI5 = "cmi5"

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
SCHEMA_VERSIONS = {
    "1.2": (SCORM_12, "SCORM 1.2"),
    "cam 1.3": (SCORM_2004, "SCORM 2004 2nd Edition"),
    "2004 3rd edition": (SCORM_2004, "SCORM 2004 3rd Edition"),
    "2004 4th edition": (SCORM_2004, "SCORM 2004 4th Edition"),
}


class ManifestError(ValueError):
    """The manifest cannot be used; the message names the problem for the educator."""


@dataclass
class Sco:
    identifier: str
    title: str
    href: str
    # SCORM 1.2 adlcp:masteryscore (0-100), SCORM 2004 imsss:minNormalizedMeasure (-1..1)
    # when its objective satisfiedByMeasure; None when the package sets no pass mark.
    mastery_score: str | None = None
    scaled_passing_score: str | None = None
    # cmi5 AUs only (courses.packages.cmi5): how the AU is judged and launched.
    move_on: str | None = None
    launch_method: str | None = None
    launch_parameters: str = ""


@dataclass
class Manifest:
    standard: str
    schema_version: str
    title: str
    scos: list[Sco] = field(default_factory=list)
    course_id: str = ""  # cmi5: the course's publisher id

    def as_json(self) -> dict:
        return asdict(self)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    return next(iter(_children(element, name)), None)


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _attr(element: Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return ""


def _decimal(value: str, low: Decimal, high: Decimal, what: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ManifestError(f"The manifest's {what} “{value}” is not a number.") from None
    if not low <= number <= high:
        raise ManifestError(f"The manifest's {what} {value} is outside {low} to {high}.")
    return str(number)


def _standard(root: Element, declared: str) -> tuple[str, str]:
    if declared:
        known = SCHEMA_VERSIONS.get(declared.lower())
        if known is None:
            raise ManifestError(
                f"The manifest declares schema version “{declared}”, which the portal does "
                "not play. It plays SCORM 1.2 and SCORM 2004 (2nd, 3rd and 4th edition).")
        return known
    namespaces = {key.split("}", 1)[0].lstrip("{") for element in root.iter()
                  for key in [element.tag, *element.attrib]}
    if ADLCP_12 in namespaces:
        return SCHEMA_VERSIONS["1.2"]
    if ADLCP_2004 in namespaces:
        return SCHEMA_VERSIONS["2004 3rd edition"]
    raise ManifestError("The manifest names no schema version (<schemaversion>) and no SCORM "
                        "namespace, so the portal cannot tell which standard it follows.")


def _scaled_passing_score(item: Element) -> str | None:
    sequencing = _child(item, "sequencing")
    objectives = _child(sequencing, "objectives") if sequencing is not None else None
    primary = _child(objectives, "primaryObjective") if objectives is not None else None
    if primary is None or _attr(primary, "satisfiedByMeasure").lower() != "true":
        return None
    measure = _text(_child(primary, "minNormalizedMeasure")) or "1.0"
    return _decimal(measure, Decimal(-1), Decimal(1), "minNormalizedMeasure")


def manifest_parse(data: bytes, *, file_names: set[str]) -> Manifest:
    """The package described by imsmanifest.xml; ManifestError names what is wrong."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        raise ManifestError(f"imsmanifest.xml is not well-formed XML ({error}).") from None
    if _local(root.tag) != "manifest":
        raise ManifestError("imsmanifest.xml does not start with a <manifest> element.")
    metadata = _child(root, "metadata")
    standard, schema_version = _standard(root, _text(_child(metadata, "schemaversion"))
                                         if metadata is not None else "")
    organizations = _child(root, "organizations")
    if organizations is None or not _children(organizations, "organization"):
        raise ManifestError("The manifest has no <organization>, so there is nothing to play.")
    default_id = _attr(organizations, "default")
    organization = next((org for org in _children(organizations, "organization")
                         if _attr(org, "identifier") == default_id),
                        _children(organizations, "organization")[0])
    resources = {_attr(resource, "identifier"): resource
                 for resource in _children(_child(root, "resources") or Element("r"), "resource")}
    scos = []
    for item in organization.iter():
        if _local(item.tag) != "item" or not _attr(item, "identifierref"):
            continue
        resource = resources.get(_attr(item, "identifierref"))
        if resource is None:
            raise ManifestError(f"Item “{_attr(item, 'identifier')}” points at resource "
                                f"“{_attr(item, 'identifierref')}”, which the manifest lacks.")
        if _attr(resource, "scormtype").lower() not in ("sco", ""):
            continue  # an asset: no runtime calls, nothing to track
        href = _attr(resource, "href") + _attr(item, "parameters")
        path = href.split("?", 1)[0].split("#", 1)[0]
        if path not in file_names:
            raise ManifestError(f"The manifest launches “{path}”, which is not in the zip.")
        mastery = _text(_child(item, "masteryscore"))
        scos.append(Sco(
            identifier=_attr(item, "identifier"), title=_text(_child(item, "title")) or path,
            href=href,
            mastery_score=(_decimal(mastery, Decimal(0), Decimal(100), "masteryscore")
                           if mastery else None),
            scaled_passing_score=(_scaled_passing_score(item)
                                  if standard == SCORM_2004 else None)))
    if not scos:
        raise ManifestError("The manifest's organization has no SCO to launch.")
    title = _text(_child(organization, "title")) or scos[0].title
    return Manifest(standard=standard, schema_version=schema_version, title=title, scos=scos)
