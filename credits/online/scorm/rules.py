"""When a SCO counts as done, read from the CMI data its runtime commits.

The rules answer the complaints users of other players make most (openedx-scorm-xblock #104 and
#110: SCORM 1.2 "passed" not counted as completed; #51: a score stored as 0):

- SCORM 1.2: `cmi.core.lesson_status` "passed" or "completed" counts; "failed", "incomplete",
  "browsed" and "not attempted" do not. With a mastery score in the manifest and a raw score
  reported, the raw score decides passed or failed (SCORM 1.2 RTE 3.4.4, cmi.core.lesson_status).
- SCORM 2004: `cmi.completion_status` must be "completed", and `cmi.success_status` must not be
  "failed"; when the manifest sets a scaled passing score and the SCO reports `cmi.score.scaled`,
  the score decides success (SCORM 2004 RTE 4.2.22) and must reach it.
- Scores are kept as reported: an empty score is no score (None), never 0.
"""
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from courses.packages.models import ContentPackage

SCORM_12_DONE = {"passed", "completed"}


@dataclass
class ScoOutcome:
    satisfied: bool
    lesson_status: str = ""
    completion_status: str = ""
    success_status: str = ""
    score_raw: Decimal | None = None
    score_scaled: Decimal | None = None
    score_percent: Decimal | None = None
    location: str = ""
    suspend_data: str = ""
    exit: str = ""
    session_seconds: int = 0


def _number(value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _percent(raw: Decimal | None, low: Decimal | None, high: Decimal | None) -> Decimal | None:
    if raw is None:
        return None
    low = low if low is not None else Decimal(0)
    high = high if high is not None and high != low else Decimal(100)
    percent = (raw - low) * 100 / (high - low)
    return max(Decimal(0), min(Decimal(100), percent)).quantize(Decimal("0.01"), ROUND_HALF_UP)


SCORM_12_TIME = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
ISO_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                          r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_seconds(value: str) -> int:
    """SCORM 1.2 HHHH:MM:SS.SS or SCORM 2004 ISO 8601 duration; 0 when unreadable."""
    value = (value or "").strip()
    if match := SCORM_12_TIME.match(value):
        hours, minutes, seconds = (int(part) for part in match.groups()[:3])
        return hours * 3600 + minutes * 60 + seconds
    if (match := ISO_DURATION.match(value)) and value not in ("P", "PT"):
        years, months, days, hours, minutes = (int(part or 0) for part in match.groups()[:5])
        seconds = float(match.group(6) or 0)
        return int(((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60
                   + seconds)
    return 0


def _scorm12(cmi: dict, sco: dict) -> ScoOutcome:
    core = cmi.get("core") or {}
    score = core.get("score") or {}
    raw, low, high = (_number(score.get(key)) for key in ("raw", "min", "max"))
    status = str(core.get("lesson_status") or "").strip().lower()
    mastery = _number(sco.get("mastery_score"))
    if mastery is not None and raw is not None and status in {"passed", "failed", "completed"}:
        status = "passed" if raw >= mastery else "failed"
    return ScoOutcome(
        satisfied=status in SCORM_12_DONE, lesson_status=status, score_raw=raw,
        score_percent=_percent(raw, low, high),
        location=str(core.get("lesson_location") or "")[:1000],
        suspend_data=str(cmi.get("suspend_data") or ""), exit=str(core.get("exit") or ""),
        session_seconds=duration_seconds(str(core.get("session_time") or "")))


def _scorm2004(cmi: dict, sco: dict) -> ScoOutcome:
    score = cmi.get("score") or {}
    raw, low, high = (_number(score.get(key)) for key in ("raw", "min", "max"))
    scaled = _number(score.get("scaled"))
    completion = str(cmi.get("completion_status") or "").strip().lower()
    success = str(cmi.get("success_status") or "").strip().lower()
    passing = _number(sco.get("scaled_passing_score"))
    if passing is not None and scaled is not None:
        success = "passed" if scaled >= passing else "failed"
    satisfied = (completion == "completed" and success != "failed"
                 and (passing is None or success == "passed"))
    percent = (_percent(scaled, Decimal(0), Decimal(1)) if scaled is not None
               else _percent(raw, low, high))
    return ScoOutcome(
        satisfied=satisfied, completion_status=completion, success_status=success,
        score_raw=raw, score_scaled=scaled, score_percent=percent,
        location=str(cmi.get("location") or "")[:1000],
        suspend_data=str(cmi.get("suspend_data") or ""), exit=str(cmi.get("exit") or ""),
        session_seconds=duration_seconds(str(cmi.get("session_time") or "")))


def sco_outcome(*, standard: str, sco: dict, cmi: dict) -> ScoOutcome:
    """What one commit's CMI data says about the SCO of a package of that `standard` (see the
    module's rules)."""
    if standard == ContentPackage.Standard.SCORM_12:
        return _scorm12(cmi, sco)
    return _scorm2004(cmi, sco)
