"""The XML-over-HTTPS transport the PARS and CE Broker clients share, and the answer each call
comes back as. Both services speak XML (ACCME's PARS web services, CE Broker's XML messages);
their answers are parsed with defusedxml, which refuses entities and external references."""
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element  # noqa: S405 (built, never parsed, here)

from defusedxml import ElementTree as SafeElementTree


class Outcome:
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRANSIENT = "transient"


@dataclass(frozen=True)
class Answer:
    """One call's result: how the portal reads it, the service's code and words, and what the
    service handed back (its record id, a board's status)."""

    outcome: str
    code: str
    message: str
    http_status: int | None = None
    fix_by: str = ""  # "learner" (profile) or "office"
    remote_id: str = ""
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no answer (timeout, unreachable)
    root: Element | None
    failure: str = ""  # why there was no answer


def check_url(name: str, url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{name} must be an http(s) URL.")
    return url.rstrip("/")


def _parse(raw: bytes) -> Element | None:
    if not raw.strip():
        return None
    try:
        return SafeElementTree.fromstring(raw)
    except SafeElementTree.ParseError:
        return None


def exchange(request: urllib.request.Request, *, service: str, timeout: float) -> Reply:
    """Send the request (its URL's scheme checked by check_url) and parse the XML answer."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Reply(response.status, _parse(response.read()))
    except urllib.error.HTTPError as error:
        return Reply(error.code, _parse(error.read()))
    except TimeoutError:
        return Reply(None, None, f"{service} did not answer within {timeout:g} seconds.")
    except (urllib.error.URLError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Reply(None, None, f"{service} did not answer within {timeout:g} seconds.")
        return Reply(None, None, f"{service} could not be reached ({reason}).")


def no_answer(reply: Reply) -> Answer | None:
    """A transient answer when there was none or a server error, else None (read the body)."""
    if reply.status is None:
        code = "TIMEOUT" if "did not answer" in reply.failure else "UNREACHABLE"
        return Answer(Outcome.TRANSIENT, code, reply.failure)
    if reply.status >= 500 or reply.status == 429:
        return Answer(Outcome.TRANSIENT, f"HTTP_{reply.status}",
                      f"The service answered with a server error ({reply.status}).",
                      reply.status)
    return None


def to_xml(tag: str, children: dict[str, object], **attributes: str) -> Element:
    """<tag a="..."><child>value</child>...</tag>; None values are left out."""
    element = Element(tag, {name: str(value) for name, value in attributes.items()})
    for name, value in children.items():
        if value is None:
            continue
        child = Element(name)
        child.text = str(value)
        element.append(child)
    return element
