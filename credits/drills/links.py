"""Signed, expiring, single-use answer links: one per (delivery, learner, question, option).

The token signs all four ids with a timestamp; `answer_token_read` refuses a forged or altered
token and one older than DRILL_ANSWER_LINK_MAX_AGE_DAYS. Single use is the database's: a
delivery has at most one DrillAnswer, so a replayed link finds the answer already given.
"""
from django.conf import settings
from django.core import signing

SALT = "credits.drills.answer"
_SIGNER = signing.TimestampSigner(salt=SALT)


class InvalidAnswerLink(Exception):
    """Forged, altered or expired; `reason` is what the learner is told."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


EXPIRED = "expired"
FORGED = "forged"


def answer_token(*, delivery_id: int, user_id: int, question_id: int, option_id: int) -> str:
    return _SIGNER.sign(f"{delivery_id}-{user_id}-{question_id}-{option_id}")


def answer_token_read(token: str) -> tuple[int, int, int, int]:
    """(delivery id, user id, question id, option id) of a valid token."""
    max_age = settings.DRILL_ANSWER_LINK_MAX_AGE_DAYS * 86400
    try:
        value = _SIGNER.unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidAnswerLink(EXPIRED) from error
    except signing.BadSignature as error:
        raise InvalidAnswerLink(FORGED) from error
    try:
        delivery_id, user_id, question_id, option_id = (int(part) for part in value.split("-"))
    except ValueError as error:
        raise InvalidAnswerLink(FORGED) from error
    return delivery_id, user_id, question_id, option_id
