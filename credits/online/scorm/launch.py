"""What the player hands a SCO: its starting CMI data, a signed content address, and the launch
page with the runtime's cross-frame client put in front of the package's own scripts."""
import html
import json
import re

from django.conf import settings
from django.core import signing
from django.templatetags.static import static

from accounts.models import User
from courses.packages.models import ContentPackage

from .models import ScoAttempt

CONTENT_SALT = "credits.online.scorm.content"


def launch_cmi(*, attempt: ScoAttempt, user: User) -> dict:
    """The CMI data the runtime starts from: who the learner is, the pass mark, and for a
    resumed attempt where they were (location, suspend data, status, score)."""
    sco = sco_of(attempt)
    resumed = attempt.last_commit_at is not None
    name = user.full_name or user.email
    if attempt.package.standard == ContentPackage.Standard.SCORM_12:
        core = {"student_id": str(user.pk), "student_name": name,
                "lesson_location": attempt.location, "credit": "credit",
                "lesson_status": attempt.lesson_status or "not attempted",
                "entry": "resume" if resumed else "ab-initio", "lesson_mode": "normal"}
        if attempt.score_raw is not None:
            core["score"] = {"raw": _plain(attempt.score_raw)}
        return {"core": core, "suspend_data": attempt.suspend_data,
                "student_data": {"mastery_score": sco.get("mastery_score") or ""}}
    cmi = {"learner_id": str(user.pk), "learner_name": name, "location": attempt.location,
           "credit": "credit", "mode": "normal", "entry": "resume" if resumed else "ab-initio",
           "suspend_data": attempt.suspend_data,
           "completion_status": attempt.completion_status or "unknown",
           "success_status": attempt.success_status or "unknown"}
    if sco.get("scaled_passing_score"):
        cmi["scaled_passing_score"] = sco["scaled_passing_score"]
    if attempt.score_scaled is not None:
        cmi["score"] = {"scaled": _plain(attempt.score_scaled)}
    return cmi


def _plain(number) -> str:
    return format(number.normalize(), "f")


def sco_of(attempt: ScoAttempt) -> dict:
    return next(sco for sco in attempt.package.scos
                if sco["identifier"] == attempt.sco_identifier)


def flattened(cmi: dict, prefix: str = "cmi") -> dict[str, str]:
    """{"core": {"entry": "resume"}} as {"cmi.core.entry": "resume"}: the cross-frame client's
    cache, so the SCO reads its starting values synchronously before any message returns."""
    flat = {}
    for key, value in cmi.items():
        if isinstance(value, dict):
            flat.update(flattened(value, f"{prefix}.{key}"))
        else:
            flat[f"{prefix}.{key}"] = str(value)
    return flat


def content_token(attempt: ScoAttempt) -> str:
    return signing.dumps({"attempt": attempt.pk}, salt=CONTENT_SALT, compress=True)


def content_token_attempt_id(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=CONTENT_SALT,
                             max_age=settings.PACKAGE_CONTENT_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    return data.get("attempt") if isinstance(data, dict) else None


HEAD = re.compile(rb"<head\b[^>]*>", re.I)


def launch_page(document: bytes, *, attempt: ScoAttempt, user: User) -> bytes:
    """The SCO's launch page with, first thing in its head, its starting CMI data (a JSON data
    block) and the scripts that give it `window.API` / `window.API_1484_11`."""
    seed = json.dumps(flattened(launch_cmi(attempt=attempt, user=user)))
    seed = seed.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    block = (
        f'<script type="application/json" id="cpd-package-seed" '
        f'data-standard="{html.escape(attempt.package.standard)}">{seed}</script>'
        f'<script src="{static("vendor/scorm-again/cross-frame-api.min.js")}"></script>'
        f'<script src="{static("js/package-frame.js")}"></script>').encode()
    match = HEAD.search(document)
    if match is None:
        return block + document
    return document[:match.end()] + block + document[match.end():]
