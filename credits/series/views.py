"""The coordinator's page of a series, its settings, a session's plan, copying forward, and
late-claim requests (the learner's form, the coordinator's decisions)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credits.series import selectors, services
from credits.series.forms import (
    LateClaimForm,
    LateClaimRefuseForm,
    SeriesSettingsForm,
    SessionPlanForm,
)
from credits.series.models import LateClaimRequest, SeriesCopy, SessionPlan


@login_required
def coordinator(request, course_id: int):
    """Upcoming sessions with what each lacks, and the late claims waiting."""
    course = selectors.series_get_for_coordinator(user=request.user, pk=course_id)
    waiting = selectors.late_claims_waiting(course=course)
    return render(request, "credits/series/coordinator.html", {
        "course": course, "coordination": selectors.coordination_of(course),
        "rows": selectors.upcoming_sessions(course=course),
        "waiting": [(row, LateClaimRefuseForm(prefix=f"r{row.pk}")) for row in waiting],
        "decided": selectors.late_claims_decided(course=course),
        "copies": list(SeriesCopy.objects.filter(source=course).select_related("copy")),
        "can_manage": selectors.series_is_managed_by(user=request.user, course=course)})


@login_required
def settings_edit(request, course_id: int):
    course = selectors.series_get_for_manager(user=request.user, pk=course_id)
    form = SeriesSettingsForm(request.POST or None,
                              instance=selectors.coordination_of(course))
    if request.method == "POST" and form.is_valid():
        services.series_coordination_save(
            course=course, actor=request.user,
            coordinator=form.cleaned_data["coordinator_email"],
            lead_business_days=form.cleaned_data["lead_business_days"],
            late_claims_per_year=form.cleaned_data["late_claims_per_year"])
        messages.success(request, "Series settings saved.")
        return redirect("series:coordinator", course_id=course.pk)
    return render(request, "credits/series/settings.html", {"course": course, "form": form})


@login_required
def session_plan(request, course_id: int, session_id: int):
    course = selectors.series_get_for_coordinator(user=request.user, pk=course_id)
    session = get_object_or_404(course.sessions, pk=session_id)
    plan = SessionPlan.objects.filter(session=session).first()
    form = SessionPlanForm(request.POST or None, request.FILES or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_plan_save(session=session, actor=request.user,
                                       objectives=form.cleaned_data["objectives"],
                                       slides=request.FILES.get("slides"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Session plan saved.")
            return redirect("series:coordinator", course_id=course.pk)
    return render(request, "credits/series/plan.html",
                  {"course": course, "session": session, "plan": plan, "form": form})


@require_POST
@login_required
def copy_forward(request, course_id: int):
    course = selectors.series_get_for_manager(user=request.user, pk=course_id)
    try:
        copy = services.series_copy_forward(course=course, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("series:coordinator", course_id=course.pk)
    messages.success(request, f"Copied to {copy.year} as a draft: check the sessions, then "
                              "submit it for review.")
    return redirect("series:coordinator", course_id=copy.copy_id)


@login_required
def late_claim(request, session_id: int):
    """The learner's request for a session whose check-in they missed."""
    session = selectors.late_claim_session_for_learner(user=request.user, session_id=session_id)
    form = LateClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.late_claim_request_file(session=session, user=request.user,
                                             reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Request sent. The series coordinator will answer; "
                                        "if approved, you can then claim credit."))
            return redirect("series:late_claim", session_id=session.pk)
    return render(request, "credits/series/late_claim.html", {
        "session": session, "form": form,
        "requests": selectors.late_claims_of_learner(user=request.user, session=session)})


def _request_for_coordinator(request, request_id: int) -> LateClaimRequest:
    return get_object_or_404(
        LateClaimRequest.objects.select_related("session", "user"), pk=request_id,
        session__course__in=selectors.series_coordinated_by(user=request.user))


@require_POST
@login_required
def late_claim_approve(request, request_id: int):
    claim = _request_for_coordinator(request, request_id)
    try:
        services.late_claim_approve(request=claim, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{claim.user.full_name} recorded present at "
                                  f"{claim.session.display_title}.")
    return redirect("series:coordinator", course_id=claim.session.course_id)


@require_POST
@login_required
def late_claim_refuse(request, request_id: int):
    claim = _request_for_coordinator(request, request_id)
    form = LateClaimRefuseForm(request.POST, prefix=f"r{claim.pk}")
    try:
        if not form.is_valid():
            raise ValidationError("Give the learner a reason; it is sent to them.")
        services.late_claim_refuse(request=claim, actor=request.user,
                                   reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Refused; {claim.user.full_name} is emailed the reason.")
    return redirect("series:coordinator", course_id=claim.session.course_id)
