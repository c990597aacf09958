"""Caches of the public catalog and course pages: whole pages for visitors who are not signed
in, and the parts every viewer shares (catalog results, a course's facts) for everyone else.

Most catalog traffic is anonymous browsing of pages that are the same for every visitor, so
their rendered HTML is kept in the cache (Redis in production) for a minute. Any change to a
course, its sessions, credit designations, disclosures, lessons, questions or enrolments bumps
one version number that is part of every key, so a change shows at once; the minute only bounds
how stale time-dependent text ("next session") can get. Only requests without cookies are
served from or stored in the cache: signed-in users (and anyone with a pending message or form
token) always get a page of their own, since it carries their own state (courses.viewer_cache
keeps that per viewer). What that page shares with every other viewer in the same time zone is
kept as template fragments (`{% cache %}` keyed by
`public_pages_version()`), so only the viewer's own state is read and rendered per request.
"""
import hashlib
import time
from functools import wraps

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

PAGES_CACHE = "pages"  # the cache alias of pages and fragments (settings.CACHES)
PAGE_TIMEOUT_SECONDS = 60
# Fragments hold dates ("next session") that age with the clock, like whole pages.
FRAGMENT_TIMEOUT_SECONDS = PAGE_TIMEOUT_SECONDS
_VERSION_KEY = "public-catalog-version"
# Each process re-reads the shared version at most this often: one cache round trip per page
# instead of two, at the price of up to a second before a change shows to visitors.
VERSION_RECHECK_SECONDS = 1.0
_version_seen = {"value": None, "at": 0.0}


def _cache():
    return caches[PAGES_CACHE]


def public_pages_version() -> int:
    """The version every cached public page and fragment is keyed by."""
    now = time.monotonic()
    if _version_seen["value"] is None or now - _version_seen["at"] > VERSION_RECHECK_SECONDS:
        version = _cache().get(_VERSION_KEY)
        if version is None:
            _cache().add(_VERSION_KEY, 1, timeout=None)
            version = _cache().get(_VERSION_KEY, 1)
        _version_seen.update(value=version, at=now)
    return _version_seen["value"]


def _bump() -> None:
    try:
        _cache().incr(_VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under one either
        _cache().add(_VERSION_KEY, 1, timeout=None)
    _version_seen["value"] = None  # this process sees its own change at once


def public_pages_changed(**kwargs) -> None:
    """Invalidate every cached public page and fragment: at once, so the rest of the changing
    transaction reads its own change, and again once it commits, so nothing another request
    cached in between (from the rows as they were before the commit) outlives it."""
    _bump()
    transaction.on_commit(_bump)


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.COOKIES:
            return view(request, *args, **kwargs)
        # Hashed: the query string is the visitor's, of any length.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public-page:{public_pages_version()}:{path}"
        cached = _cache().get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            _cache().set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT_SECONDS)
        return response

    return wrapped


def public_pages_models() -> tuple[list, list]:
    """(models, many-to-many through models) whose saves bump the public pages' version."""
    from courses.disclosures.models import (
        CommercialSupport,
        FinancialDisclosure,
        FinancialRelationship,
        Mitigation,
    )
    from courses.lessons.models import Lesson, LessonAttachment
    from courses.models import (
        Course,
        CreditDesignation,
        Disclosure,
        Enrolment,
        Faculty,
        Session,
        Specialty,
        Topic,
    )
    from courses.questions.models import DrillSettings, PostTest, Question

    return ([Course, Session, CreditDesignation, Disclosure, Enrolment, Faculty, Topic, Specialty,
             FinancialDisclosure, FinancialRelationship, Mitigation, CommercialSupport,
             Lesson, LessonAttachment, PostTest, Question, DrillSettings],
            [Course.directors.through, Course.topics.through, Course.specialties.through,
             Session.faculty.through])


def connect_invalidation() -> None:
    models, throughs = public_pages_models()
    for model in models:
        post_save.connect(public_pages_changed, sender=model,
                          dispatch_uid=f"public-pages-{model.__name__}")
        post_delete.connect(public_pages_changed, sender=model,
                            dispatch_uid=f"public-pages-{model.__name__}-delete")
    for through in throughs:
        m2m_changed.connect(public_pages_changed, sender=through,
                            dispatch_uid=f"public-pages-{through.__name__}")
