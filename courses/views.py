"""Pages where clinicians find and follow courses: catalog, course page, enrolment, calendars;
and the course directors' enrolment list."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from courses.calendar import sessions_calendar
from courses.credit_types import credit_amount_display
from courses.credittypes.selectors import CATALOG_MODELS
from courses.disclosures.selectors import learner_disclosure
from courses.forms_catalog import CatalogFilterForm
from courses.models import (
    CalendarFeed,
    Course,
    CreditDesignation,
    Enrolment,
    Session,
    Specialty,
)
from courses.selectors.catalog import (
    COURSE_DETAIL,
    COURSE_PAGE,
    course_catalog_list,
    course_detail_get,
    course_kept_from,
    course_primary_action,
    course_viewer_sessions_attach,
    specialty_choices,
    viewer_enrolment_get,
)
from courses.selectors.educator import course_get_for_manager, course_is_managed_by
from courses.selectors.learner import (
    calendar_feed_active_for,
    calendar_feed_by_token,
    calendar_sessions_for,
)
from courses.services.calendar_feed import calendar_feed_regenerate, calendar_feed_revoke
from courses.services.enrolment import enrolment_cancel, enrolment_create, enrolment_decide
from courses.session_audience import session_reads_cached_in, sessions_visible_q
from courses.templatetags.course_tags import seats_left
from cpd_portal.caching.memo import memo_render, memo_render_many
from cpd_portal.caching.parts import CachedPart, cache_public_page, viewer_parts

CATALOG_PAGE_SIZE = 20

ENROLMENT_MESSAGES = {
    Enrolment.Status.ENROLLED: "You are enrolled. A confirmation email is on its way.",
    Enrolment.Status.WAITLISTED: "This activity is full: you are number {position} on the "
                                 "waitlist. We will email you if a seat frees.",
    Enrolment.Status.PENDING: "Your request has been sent to the course director. We will "
                              "email you their decision.",
}


# Everything below the catalog's heading (the filter form and the results), the same for every
# viewer of a query string in a time zone: cached whole for visitors, as a fragment for the
# signed in. The cards inside come from the content-addressed memo (caching.memo).
CATALOG = CachedPart("catalog", Course, Session, Enrolment, CreditDesignation, Specialty,
                     Course.specialties.through, *CATALOG_MODELS)
# The course page as a visitor without a session sees it: the course alone.
PUBLIC_COURSE_PAGE = CachedPart("public-course-page", COURSE_DETAIL)
session_reads_cached_in(CATALOG, PUBLIC_COURSE_PAGE)


@require_GET
@cache_public_page(CATALOG)
def catalog(request):
    # Nothing is read or built unless the fragment is missing.
    results = CATALOG.get_or_build("results", request.get_full_path(), build=lambda: (
        render_to_string("courses/_catalog_results.html",
                         {"catalog": _catalog_context(request.GET)})))
    return render(request, "courses/catalog.html", {"results": results})


def _catalog_context(query) -> dict:
    specialties = specialty_choices()
    form = CatalogFilterForm(query or None, specialties=specialties)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {name: value for name, value in form.cleaned_data.items()
                   if value not in (None, "", False)}
    page = Paginator(course_catalog_list(**filters), CATALOG_PAGE_SIZE).get_page(query.get("page"))
    removal_links = []
    for name, label, shown in form.active_filters() if form.is_bound else []:
        remaining = query.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        removal_links.append({"label": label, "shown": shown, "query": remaining.urlencode()})
    page_query = query.copy()
    page_query.pop("page", None)
    form_facts = {"query": sorted((name, tuple(values)) for name, values in page_query.lists()),
                  "specialties": specialties, "filters_in_use": len(removal_links)}
    return {"form": form, "page": page, "removal_links": removal_links,
            "page_query": page_query.urlencode(),
            # The form is built from the query string and the specialties alone: its facts.
            "form_html": memo_render("catalog-form", "courses/_catalog_form.html", form_facts,
                                     context={"form": form}),
            "cards": memo_render_many("catalog-card", "courses/_course_card.html",
                                      [_course_card_facts(course) for course in page])}


def _course_card_facts(course: Course) -> dict:
    """Everything a catalog card prints, as plain values: the card's cache key is their digest."""
    return {"url": course.get_absolute_url(), "title": course.title, "format": course.format,
            "format_display": str(course.get_format_display()),
            "approval_required": course.approval_required, "summary": course.summary,
            "next_starts_at": course.next_starts_at, "release_date": course.release_date,
            "termination_date": course.termination_date, "seats_left": seats_left(course),
            "credit_lines": [credit_amount_display(designation.max_credits,
                                                   designation.credit_type)
                             for designation in course.credit_designations.all()]}


@require_GET
@cache_public_page(PUBLIC_COURSE_PAGE)
def course_detail(request, slug):
    if not request.user.is_authenticated:
        return render(request, "courses/detail.html", _course_page_parts(request, slug))
    parts = viewer_parts(request, COURSE_PAGE,
                         lambda csrf_token: _course_page_parts(request, slug, csrf_token),
                         variant=slug)
    return render(request, "courses/detail.html", parts)


def _course_page_parts(request, slug: str, csrf_token: str | None = None) -> dict[str, str]:
    """The page's title and content: the same for every visitor, or the viewer's own."""
    try:
        course = course_detail_get(slug=slug, user=request.user)
    except Course.DoesNotExist as missing:
        raise Http404("No such course.") from missing
    enrolment = viewer_enrolment_get(course=course, user=request.user)
    can_manage = course_is_managed_by(course=course, user=request.user)
    course_viewer_sessions_attach(course=course, user=request.user, sees_all=can_manage)
    now = timezone.now()
    sessions = list(course.sessions.all())
    content = render_to_string("courses/_detail_content.html", {
        **({"csrf_token": csrf_token} if csrf_token else {}),
        "course": course,
        "sessions": sessions,
        "upcoming_sessions": [session for session in sessions if session.ends_at > now],
        "past_sessions": [session for session in sessions if session.ends_at <= now],
        "designations": course.credit_designations.all(),
        "learner_disclosure": learner_disclosure(course),
        "seats_left": seats_left(course),
        "enrolment": enrolment,
        "action": course_primary_action(course=course, enrolment=enrolment, user=request.user,
                                        now=now),
        "can_manage": can_manage,
    }, request=request)
    return {"page_title": conditional_escape(course.title), "content": content}


@login_required
@require_POST
def course_enrol(request, slug):
    course = get_object_or_404(Course, slug=slug, status=Course.Status.PUBLISHED)
    if course_kept_from(course=course, user=request.user, now=timezone.now()):
        raise Http404("No such course.")
    try:
        enrolment = enrolment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ENROLMENT_MESSAGES[enrolment.status].format(
            position=enrolment.waitlist_position))
    return redirect(course)


@login_required
@require_POST
def course_cancel(request, slug):
    course = get_object_or_404(Course, slug=slug)
    enrolment = viewer_enrolment_get(course=course, user=request.user)
    if enrolment is None:
        messages.info(request, "You have no enrolment in this activity to cancel.")
        return redirect(course)
    was = enrolment.status
    try:
        enrolment_cancel(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, {
            Enrolment.Status.ENROLLED: "Your enrolment is cancelled and your seat released.",
            Enrolment.Status.WAITLISTED: "You have left the waitlist.",
        }.get(was, "Your request is withdrawn."))
    return redirect(course)


@require_GET
def course_calendar(request, slug):
    course = get_object_or_404(Course, slug=slug, status=Course.Status.PUBLISHED)
    sessions = (course.sessions.filter(sessions_visible_q(user=request.user), is_cancelled=False)
                .select_related("course"))
    response = HttpResponse(sessions_calendar(sessions, name=course.title),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(course.slug)}.ics"'
    return response


@login_required
@require_GET
def calendar_settings(request):
    feed = calendar_feed_active_for(user=request.user)
    feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    return render(request, "courses/calendar_settings.html", {"feed": feed,
                                                              "feed_url": feed_url})


@login_required
@require_POST
def calendar_regenerate(request):
    had_feed = calendar_feed_active_for(user=request.user) is not None
    calendar_feed_regenerate(user=request.user)
    messages.success(request, "Your new calendar link is ready. The old link no longer works."
                     if had_feed else "Your calendar link is ready.")
    return redirect("courses:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    if calendar_feed_revoke(user=request.user):
        messages.success(request, "Your calendar link is switched off.")
    return redirect("courses:calendar_settings")


@require_GET
def calendar_feed(request, token):
    try:
        feed = calendar_feed_by_token(token=token)
    except CalendarFeed.DoesNotExist as missing:
        raise Http404("No such calendar.") from missing
    body = sessions_calendar(calendar_sessions_for(user=feed.user),
                             name=f"{settings.SITE_NAME}: my sessions")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_GET
def course_enrolments(request, course_id):
    course = course_get_for_manager(user=request.user, pk=course_id)
    status_order = Case(When(status=Enrolment.Status.PENDING, then=Value(0)),
                        When(status=Enrolment.Status.ENROLLED, then=Value(1)),
                        default=Value(2), output_field=IntegerField())
    enrolments = (course.enrolments.filter(status__in=Enrolment.ACTIVE_STATUSES)
                  .select_related("user")
                  .order_by(status_order, "waitlist_position", "created_at"))
    return render(request, "courses/enrolments.html", {"course": course,
                                                       "enrolments": enrolments})


@login_required
@require_POST
def enrolment_decision(request, course_id, enrolment_id):
    course = course_get_for_manager(user=request.user, pk=course_id)
    enrolment = get_object_or_404(course.enrolments.select_related("user"), pk=enrolment_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline", "remove"):
        messages.error(request, "Choose approve, decline or remove.")
        return redirect("courses:enrolments", course_id=course.pk)
    try:
        if decision == "remove":
            # A freed seat goes to the first person on the waitlist (enrolment_cancel).
            enrolment = enrolment_cancel(enrolment=enrolment, by=request.user)
        else:
            enrolment = enrolment_decide(enrolment=enrolment, approve=decision == "approve",
                                         by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if decision == "remove":
            messages.success(request, f"{enrolment.user.full_name}: place removed.")
        else:
            messages.success(request, f"{enrolment.user.full_name}: "
                                      f"{enrolment.get_status_display().lower()}.")
    return redirect("courses:enrolments", course_id=course.pk)
    try:
        enrolment = enrolment_decide(enrolment=enrolment, approve=decision == "approve",
                                     by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{enrolment.user.full_name}: "
                                  f"{enrolment.get_status_display().lower()}.")
    return redirect("courses:enrolments", course_id=course.pk)
