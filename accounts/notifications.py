"""The catalogue of every email kind the portal sends, its category, and whether it can be
switched off.

One place decides this so that the sender (accounts.tasks), the preferences page and the
unsubscribe link agree. The categories are the preferences page's vocabulary; the kinds are
registered by the app that sends them (`kind_register` in its AppConfig.ready), so accounts
never imports the apps above it. A kind has the templates `templates/emails/<kind>_subject.txt`,
`<kind>.txt` and `<kind>.html`; a system check (accounts.checks) proves they exist.
"""
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse


class Category(models.TextChoices):
    ACCOUNT = "account", "Account and security"
    ENROLMENT = "enrolment", "Enrolment, waitlist and approval decisions"
    SESSION_REMINDERS = "session_reminders", "Session reminders (a day and an hour before)"
    CLAIM_REMINDERS = "claim_reminders", "Evaluation and credit-claim reminders"
    CERTIFICATES = "certificates", "Certificates ready to download"
    COURSE_CHANGES = "course_changes", "Sessions rescheduled or cancelled"
    LICENCE_DEADLINES = "licence_deadlines", "Licence renewal deadlines with a shortfall"
    EDUCATOR_NOTICES = "educator_notices", "Course review decisions and educator notices"
    PRACTICE_DRILLS = "practice_drills", "Practice drill questions (weekday mornings)"
    REQUIRED_TRAINING = "required_training", "Required training set by the hospital"
    SUGGESTIONS = "suggestions", "Weekly “Next for you” suggestions"


# Account emails (verification, password reset, welcome) are needed to use the portal at all:
# they can never be switched off, and carry no unsubscribe link. Nor can emails about training
# the hospital requires (assigned learning, a required drill): the employer, not the learner,
# decides, and the email says it is required.
MANDATORY_CATEGORIES = frozenset({Category.ACCOUNT, Category.REQUIRED_TRAINING})
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


class UnknownEmailKind(LookupError):
    """An email kind nobody registered: a typo or a missing kind_register call."""


# Filled by each app from its AppConfig.ready (kind_register); accounts itself sends `welcome`.
KINDS: dict[str, Kind] = {}


def kind_register(*kinds: Kind) -> None:
    """Register email kinds. A name registered twice with different settings is a mistake."""
    for kind in kinds:
        if KINDS.get(kind.name, kind) != kind:
            raise ValueError(f"Email kind {kind.name!r} is registered twice, differently.")
        KINDS[kind.name] = kind


def kind_get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownEmailKind(
            f"Email kind {name!r} is not registered; register it with "
            "accounts.notifications.kind_register from its app's AppConfig.ready.") from None


def kind_is_mail_merge(kind: str) -> bool:
    return kind_get(kind).mail_merge


def kind_category(kind: str) -> Category:
    return kind_get(kind).category


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
