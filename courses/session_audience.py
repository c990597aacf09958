"""Who may see a session: the hook through which a higher package keeps some sessions for an
audience of its own (a pathway cohort's skills day), and the filters every session read uses.

`courses` knows nothing of pathways (it is the lower layer), so a package that keeps sessions
registers a `SessionAudience` when its app is ready: which sessions it keeps, which of them a
learner may see, who the members of one are, and a label for the staff who see them all.
Every read of sessions meant for learners or visitors goes through `public_sessions_q`,
`sessions_visible_q` or `session_visible_to`; the stored catalog dates
(courses.session_dates) count public sessions only, so the catalog, its cards and the API's
catalog never show a kept session's date. Cached parts that read sessions follow the
audiences' tables through `session_reads_cached_in`, so a new member's page is rebuilt.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

if TYPE_CHECKING:
    from cpd_portal.caching.parts import CachedPart


@dataclass(frozen=True)
class SessionAudience:
    """A package's kept sessions. Each callable returns a queryset with a `session_id`
    column (and `members` a `user_id` column too), so the filters stay subqueries."""

    # Every session this audience keeps.
    kept: Callable[[], QuerySet]
    # The kept sessions `user` may see and enrol in (a cohort's members).
    open_to: Callable[[object], QuerySet]
    # (session_id, user_id) of every member of each kept session: who gets its reminders.
    members: Callable[[], QuerySet]
    # {session_id: "Cohort: Spring 2027"} for the staff, who see every session marked.
    labels: Callable[[Iterable[int]], dict[int, str]]
    # The models the callables read: every cached part that reads sessions follows them.
    depends_on: tuple = ()


_audiences: list[SessionAudience] = []
_session_parts: list[CachedPart] = []


def session_audience_register(audience: SessionAudience) -> None:
    """For a higher package's AppConfig.ready(); registering twice is once."""
    if audience in _audiences:
        return
    _audiences.append(audience)
    for part in _session_parts:
        part.depends_on_add(*audience.depends_on)


def session_audiences_registered() -> bool:
    return bool(_audiences)


def session_reads_cached_in(*parts: CachedPart) -> None:
    """Declare cached parts built from session reads: they follow every audience's tables."""
    for part in parts:
        if part not in _session_parts:
            _session_parts.append(part)
        for audience in _audiences:
            part.depends_on_add(*audience.depends_on)


def _kept(audience: SessionAudience, session_ref) -> Exists:
    return Exists(audience.kept().filter(session_id=session_ref))


def kept_sessions_q(*, open_to=None) -> Q:
    """Sessions some audience keeps (every one, for the staff), or with `open_to` a user only
    those kept for them."""
    q = Q(pk__in=[])
    for audience in _audiences:
        kept = audience.kept() if open_to is None else audience.open_to(open_to)
        q |= Q(pk__in=kept.values("session_id"))
    return q


def public_sessions_q(*, prefix: str = "") -> Q:
    """Sessions no audience keeps; `prefix` for a lookup through a relation ("sessions__")."""
    q = Q()
    for audience in _audiences:
        q &= ~Q(**{f"{prefix}pk__in": audience.kept().values("session_id")})
    return q


def sessions_visible_q(*, user, prefix: str = "") -> Q:
    """Sessions `user` may see as a learner: the public ones and their audiences' own.
    Staff and course directors see every session through their own pages, marked."""
    if not user.is_authenticated:
        return public_sessions_q(prefix=prefix)
    q = Q()
    for audience in _audiences:
        q &= (~Q(**{f"{prefix}pk__in": audience.kept().values("session_id")})
              | Q(**{f"{prefix}pk__in": audience.open_to(user).values("session_id")}))
    return q


def session_visible_to(*, session, user) -> bool:
    """One session, for the pages that reach it by its own id or code."""
    if not _audiences:
        return True
    from courses.models import Session  # courses.models imports this module

    return Session.objects.filter(sessions_visible_q(user=user), pk=session.pk).exists()


def session_recipients_q(*, session_ref=None, user_field: str = "user_id") -> Q:
    """Of the rows (enrolments) of a session's learners, those who may see it:
    everyone for a public session, the members for a kept one. `session_ref` names the
    session (a pk or an OuterRef); `user_field` the rows' user column."""
    session_ref = session_ref if session_ref is not None else OuterRef("session_id")
    q = Q()
    for audience in _audiences:
        member = audience.members().filter(session_id=session_ref,
                                           user_id=OuterRef(user_field))
        q &= ~_kept(audience, session_ref) | Exists(member)
    return q


def session_labels(session_ids: Iterable[int]) -> dict[int, str]:
    """The audience label of each kept session among `session_ids`, for staff pages."""
    session_ids = list(session_ids)
    labels: dict[int, str] = {}
    for audience in _audiences:
        if session_ids:
            labels.update(audience.labels(session_ids))
    return labels
