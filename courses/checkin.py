"""Check-in codes and windows: which code a session accepts now, and when check-in is open.

A session's code is either its fixed `checkin_code`, or, when `checkin_code_rotates`, a code
derived from `checkin_secret` and the current time step (HMAC), so a code passed on to someone
outside the room stops working a few minutes later. The previous step's code is accepted too,
so a clinician who reads the code just before it changes is not turned away.
"""
import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from courses.models import CHECKIN_ALPHABET, CHECKIN_CODE_LENGTH, Session


def normalise_code(raw: str) -> str:
    """What a person typed, as a code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def is_well_formed(code: str) -> bool:
    return len(code) == CHECKIN_CODE_LENGTH and all(ch in CHECKIN_ALPHABET for ch in code)


def time_step(at: datetime.datetime) -> int:
    return int(at.timestamp()) // settings.CHECKIN_CODE_STEP_SECONDS


def rotating_code(secret: str, step: int) -> str:
    digest = hmac.new(secret.encode(), str(step).encode(), hashlib.sha256).digest()
    return "".join(CHECKIN_ALPHABET[byte % len(CHECKIN_ALPHABET)]
                   for byte in digest[:CHECKIN_CODE_LENGTH])


def current_code(session: Session, at: datetime.datetime) -> str:
    """The code to show in the room at `at`."""
    if session.checkin_code_rotates:
        return rotating_code(session.checkin_secret, time_step(at))
    return session.checkin_code


def accepted_codes(session: Session, at: datetime.datetime) -> set[str]:
    if not session.checkin_code_rotates:
        return {session.checkin_code}
    step = time_step(at)
    return {rotating_code(session.checkin_secret, step),
            rotating_code(session.checkin_secret, step - 1)}


def next_code_change(at: datetime.datetime) -> datetime.datetime:
    seconds = (time_step(at) + 1) * settings.CHECKIN_CODE_STEP_SECONDS
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def window_opens_at(session: Session) -> datetime.datetime:
    return session.starts_at - datetime.timedelta(minutes=settings.CHECKIN_OPENS_BEFORE_MINUTES)


def window_closes_at(session: Session) -> datetime.datetime:
    return session.ends_at + datetime.timedelta(minutes=settings.CHECKIN_CLOSES_AFTER_MINUTES)


def late_after(session: Session) -> datetime.datetime:
    """Check-ins after this moment are late: only the time from check-in to the end counts."""
    return session.starts_at + datetime.timedelta(minutes=settings.CHECKIN_LATE_GRACE_MINUTES)


def window_is_open(session: Session, at: datetime.datetime) -> bool:
    return window_opens_at(session) <= at <= window_closes_at(session)


# Wrong codes are counted per user so that nobody can walk the code space from one account.
def _wrong_code_key(user_id: int) -> str:
    return f"checkin:wrong-codes:{user_id}"


def wrong_code_limit_reached(user_id: int) -> bool:
    return cache.get(_wrong_code_key(user_id), 0) >= settings.CHECKIN_WRONG_CODE_LIMIT


def wrong_code_record(user_id: int) -> None:
    key = _wrong_code_key(user_id)
    if not cache.add(key, 1, timeout=settings.CHECKIN_WRONG_CODE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.CHECKIN_WRONG_CODE_WINDOW_SECONDS)
