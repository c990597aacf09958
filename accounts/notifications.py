"""The catalogue of every email kind the portal sends, its category, and whether it can be
switched off.

One place decides this so that the sender (accounts.tasks), the preferences page and the
unsubscribe link agree. A new email kind is added to KINDS; kinds follow the template names
`templates/emails/<kind>_subject.txt`, `<kind>.txt` and `<kind>.html`.
"""
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse

logger = logging.getLogger(__name__)


class Category(models.TextChoices):
    ACCOUNT = "account", "Account and security"
    ENROLMENT = "enrolment", "Enrolment, waitlist and approval decisions"
    SESSION_REMINDERS = "session_reminders", "Session reminders (a day and an hour before)"
    CLAIM_REMINDERS = "claim_reminders", "Evaluation and credit-claim reminders"
    CERTIFICATES = "certificates", "Certificates ready to download"
    COURSE_CHANGES = "course_changes", "Sessions rescheduled or cancelled"
    LICENCE_DEADLINES = "licence_deadlines", "Licence renewal deadlines with a shortfall"
    EDUCATOR_NOTICES = "educator_notices", "Course review decisions and educator notices"


# Account emails (verification, password reset, welcome) are needed to use the portal at all:
# they can never be switched off, and carry no unsubscribe link.
MANDATORY_CATEGORIES = frozenset({Category.ACCOUNT})
OPTIONAL_CATEGORIES = [category for category in Category if category not in MANDATORY_CATEGORIES]
# Shown only to people who can receive them.
EDUCATOR_ONLY_CATEGORIES = frozenset({Category.EDUCATOR_NOTICES})


@dataclass(frozen=True)
class Kind:
    name: str
    category: Category
    # Bulk kinds whose templates personalise only with `recipient.full_name` and
    # `unsubscribe_url`: the sender renders them once per batch, session and time zone and fills
    # those two in per recipient (a mail merge). tests/accounts/test_notifications_merge.py
    # proves the merged email equals the one rendered for the recipient alone.
    mail_merge: bool = False

    @property
    def optional(self) -> bool:
        return self.category not in MANDATORY_CATEGORIES


KINDS: dict[str, Kind] = {kind.name: kind for kind in [
    Kind("welcome", Category.ACCOUNT),
    Kind("email_verification", Category.ACCOUNT),
    Kind("password_reset", Category.ACCOUNT),
    Kind("enrolment_confirmed", Category.ENROLMENT),
    Kind("enrolment_cancelled", Category.ENROLMENT),
    Kind("enrolment_waitlisted", Category.ENROLMENT),
    Kind("waitlist_promoted", Category.ENROLMENT),
    Kind("enrolment_pending", Category.ENROLMENT),
    Kind("enrolment_approved", Category.ENROLMENT),
    Kind("enrolment_declined", Category.ENROLMENT),
    Kind("session_reminder", Category.SESSION_REMINDERS, mail_merge=True),
    Kind("claim_pending", Category.CLAIM_REMINDERS, mail_merge=True),
    Kind("evaluation_pending", Category.CLAIM_REMINDERS),
    Kind("certificate_ready", Category.CERTIFICATES),
    Kind("session_rescheduled", Category.COURSE_CHANGES, mail_merge=True),
    Kind("session_cancelled", Category.COURSE_CHANGES, mail_merge=True),
    Kind("licence_deadline", Category.LICENCE_DEADLINES, mail_merge=True),
    Kind("course_published", Category.EDUCATOR_NOTICES),
    Kind("course_returned", Category.EDUCATOR_NOTICES),
    Kind("course_review_decision", Category.EDUCATOR_NOTICES),
    Kind("course_submitted", Category.EDUCATOR_NOTICES),
]}

# Kinds added by other areas under a family prefix still land in the right category, so that
# "enrolment_moved" or "certificate_reissued" honour preferences without a change here.
_PREFIX_CATEGORIES = [
    ("enrolment_", Category.ENROLMENT),
    ("waitlist_", Category.ENROLMENT),
    ("approval_", Category.ENROLMENT),
    ("session_reminder", Category.SESSION_REMINDERS),
    ("claim_", Category.CLAIM_REMINDERS),
    ("evaluation_", Category.CLAIM_REMINDERS),
    ("certificate_", Category.CERTIFICATES),
    ("session_", Category.COURSE_CHANGES),
    ("licence_", Category.LICENCE_DEADLINES),
    ("course_", Category.EDUCATOR_NOTICES),
    ("educator_", Category.EDUCATOR_NOTICES),
]


def kind_is_mail_merge(kind: str) -> bool:
    return kind in KINDS and KINDS[kind].mail_merge


def kind_category(kind: str) -> Category:
    """The category of an email kind.

    An unknown kind is treated as an account email (always delivered) rather than silently
    dropped, and logged so that it gets added to KINDS.
    """
    if kind in KINDS:
        return KINDS[kind].category
    for prefix, category in _PREFIX_CATEGORIES:
        if kind.startswith(prefix):
            return category
    logger.warning("Email kind %r is not in accounts.notifications.KINDS; sending it as an "
                   "account email that cannot be switched off.", kind)
    return Category.ACCOUNT


def category_is_optional(category: str) -> bool:
    return category not in MANDATORY_CATEGORIES


def categories_for(user) -> list[Category]:
    """The optional categories `user` can switch on or off on the preferences page."""
    return [category for category in OPTIONAL_CATEGORIES
            if category not in EDUCATOR_ONLY_CATEGORIES
            or user.is_educator or user.is_administrator]


UNSUBSCRIBE_SALT = "accounts.notifications.unsubscribe"


class InvalidUnsubscribeToken(Exception):
    """The link was altered, forged or names a category that cannot be switched off."""


def unsubscribe_token(*, user_id: int, category: str) -> str:
    """A signed, login-free token that switches `category` off for one person.

    It does not expire: RFC 8058 one-click links in old emails must keep working.
    """
    return signing.dumps({"u": user_id, "c": category}, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_token_read(token: str) -> tuple[int, Category]:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, category = int(payload["u"]), Category(payload["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidUnsubscribeToken(str(error)) from error
    if not category_is_optional(category):
        raise InvalidUnsubscribeToken(f"{category} cannot be switched off")
    return user_id, category


_TOKEN_PLACEHOLDER = "TOKEN"


@functools.cache
def _unsubscribe_path_parts() -> tuple[str, str]:
    # reverse() costs more than signing; batches of reminders build thousands of these links.
    path = reverse("accounts:notifications_unsubscribe", kwargs={"token": _TOKEN_PLACEHOLDER})
    before, after = path.split(_TOKEN_PLACEHOLDER)
    return before, after


def unsubscribe_url(*, user_id: int, category: str) -> str:
    before, after = _unsubscribe_path_parts()
    token = unsubscribe_token(user_id=user_id, category=category)
    return f"{settings.SITE_URL}{before}{token}{after}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail clients show an unsubscribe button that POSTs."""
    return {"List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
