"""Launching a cmi5 AU (cmi5 spec section 8 and 10): the registration, the session with its
one-time fetch key, LMS.LaunchData, the "launched" statement, and "abandoned" for a session
the learner left without "terminated"; then handing out the session's token once."""
import datetime
import json
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from courses.packages.models import ContentPackage
from courses.packages.selectors import package_current_for
from credits.online.scorm.launch import content_token
from credits.online.scorm.models import ScoAttempt
from credits.online.services import module_start

from .identity import au_activity_id, digest, learner_actor
from .models import AuSession, Registration, StateDocument
from .progress import course_satisfied_check, portal_statement_store
from .statements import EXTENSION

LAUNCH_DATA = "LMS.LaunchData"


def _iso_duration(seconds: float) -> str:
    return f"PT{max(0.0, seconds):.2f}S"


@dataclass
class Launch:
    session: AuSession
    url: str


def _registration(user: User, course: Course, package: ContentPackage,
                  now: datetime.datetime) -> Registration:
    registration = Registration.objects.filter(user=user, package=package).first()
    if registration is not None:
        return registration
    registration = Registration.objects.create(user=user, course=course, package=package,
                                               registration=uuid.uuid4(), created_at=now)
    # moveOn is evaluated at registration (section 9.6.1): NotApplicable AUs are satisfied now.
    for au in package.scos:
        if au.get("move_on") == "NotApplicable":
            ScoAttempt.objects.get_or_create(
                user=user, package=package, sco_identifier=au["identifier"], number=1,
                defaults={"course": course, "started_at": now, "satisfied_at": now})
    return registration


def _abandon_open_sessions(registration: Registration, actor: dict,
                           now: datetime.datetime) -> None:
    """A new launch in the registration ends any session left without "terminated"
    (section 9.3.6): the portal says "abandoned" for it, and refuses its statements after."""
    for session in registration.sessions.filter(terminated_at__isnull=True,
                                                abandoned_at__isnull=True):
        last = session.last_statement_at or session.launched_at
        AuSession.objects.filter(pk=session.pk).update(abandoned_at=now)
        portal_statement_store(
            "abandoned", registration=registration, session=session, actor=actor,
            object_id=session.activity_id, now=now,
            result={"duration": _iso_duration((last - session.launched_at).total_seconds())})


def _launch_data(*, session: AuSession, au: dict) -> dict:
    data = {"contextTemplate": {
                "contextActivities": {"grouping": [{"id": au["identifier"]}]},
                "extensions": {EXTENSION + "sessionid": str(session.session_id)}},
            "launchMode": "Normal", "launchMethod": au.get("launch_method") or "AnyWindow",
            # No returnURL: the AU plays in the module page's frame, and the page stays around it.
            "moveOn": au.get("move_on") or "NotApplicable"}
    if au.get("scaled_passing_score"):
        data["masteryScore"] = float(au["scaled_passing_score"])
    if au.get("launch_parameters"):
        data["launchParameters"] = au["launch_parameters"]
    return data


@transaction.atomic
def au_launch(*, user: User, course: Course, au_number: int, origin: str,
              now: datetime.datetime | None = None) -> Launch:
    """A new session of the AU for the learner, and the URL that launches it (section 8.1)."""
    now = now or timezone.now()
    module_start(user=user, course=course, now=now)
    package = package_current_for(course=course)
    if package is None or package.standard != ContentPackage.Standard.CMI5:
        raise ValidationError("This activity has no published cmi5 package.")
    if not 1 <= au_number <= len(package.scos):
        raise ValidationError("This package has no such part.")
    au = package.scos[au_number - 1]
    User.objects.select_for_update().filter(pk=user.pk).first()  # one launch at a time
    registration = _registration(user, course, package, now)
    actor = learner_actor(user)
    _abandon_open_sessions(registration, actor, now)
    attempt = ScoAttempt.objects.filter(user=user, package=package,
                                        sco_identifier=au["identifier"]).first()
    if attempt is None:
        attempt = ScoAttempt.objects.create(user=user, course=course, package=package,
                                            sco_identifier=au["identifier"], number=1,
                                            started_at=now)
    fetch_key = secrets.token_urlsafe(32)
    session = AuSession.objects.create(
        registration=registration, attempt=attempt, session_id=uuid.uuid4(),
        activity_id=au_activity_id(course, au), fetch_key_sha256=digest(fetch_key),
        launched_at=now)
    # The AU's own query string (cmi5.xml may give one) follows the file, unescaped.
    au_path, _, au_query = au["href"].partition("?")
    content = origin + reverse("scorm:content", args=[content_token(attempt), au_path])
    if au_query:
        content += "?" + au_query
    StateDocument.objects.update_or_create(
        registration=registration, activity_id=session.activity_id, state_id=LAUNCH_DATA,
        defaults={"content_type": "application/json", "updated_at": now,
                  "content": json.dumps(_launch_data(session=session, au=au)).encode()})
    extensions = {EXTENSION + "launchmode": "Normal",
                  EXTENSION + "launchurl": content.split("?", 1)[0],
                  EXTENSION + "moveon": au.get("move_on") or "NotApplicable"}
    if au.get("scaled_passing_score"):
        extensions[EXTENSION + "masteryscore"] = float(au["scaled_passing_score"])
    if au.get("launch_parameters"):
        extensions[EXTENSION + "launchparameters"] = au["launch_parameters"]
    portal_statement_store("launched", registration=registration, session=session, actor=actor,
                           object_id=session.activity_id, now=now, extensions=extensions)
    course_satisfied_check(registration=registration, session=session, now=now)
    query = urlencode({
        "endpoint": origin + reverse("cmi5:statements").removesuffix("statements"),
        "fetch": origin + reverse("cmi5:fetch", args=[fetch_key]),
        "actor": json.dumps(actor, separators=(",", ":")),
        "registration": str(registration.registration), "activityId": session.activity_id})
    return Launch(session=session, url=content + ("&" if "?" in content else "?") + query)


class FetchRefused(Exception):
    """cmi5 section 8.2.3: 1 already used or expired, 2 any other security error."""

    def __init__(self, code: int, text: str):
        super().__init__(text)
        self.code = code


@transaction.atomic
def session_token_issue(*, fetch_key: str, now: datetime.datetime | None = None) -> str:
    """The session's token, returned once: a second call is refused (section 8.2.3.1)."""
    session = (AuSession.objects.select_for_update()
               .filter(fetch_key_sha256=digest(fetch_key)).first())
    if session is None:
        raise FetchRefused(2, "This fetch URL is not one the portal issued.")
    if session.fetched_at is not None:
        raise FetchRefused(1, "The authorization token has already been returned.")
    if not session.open:
        raise FetchRefused(1, "This session has ended; launch the AU again.")
    token = secrets.token_urlsafe(32)
    AuSession.objects.filter(pk=session.pk).update(token_sha256=digest(token),
                                                   fetched_at=now or timezone.now())
    return token
