"""Competency-day pages: the director sets up a session's stations; a station's validator
picks a learner enrolled in the session and records each skill with one tap."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from credits.attendance.selectors import sessions_managed_by
from credits.checklists.stations import selectors
from credits.checklists.stations.forms import StationForm, StationTapForm
from credits.checklists.stations.services import station_create, station_tap_record


@login_required
@require_http_methods(["GET", "POST"])
def station_setup(request, session_id: int):
    session = get_object_or_404(sessions_managed_by(user=request.user), pk=session_id)
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            station = station_create(
                session=session, name=data["name"], checklist=data["checklist"],
                validator=data["validator"], method=data["method"], level=data["level"],
                skills=list(data["skills"]), created_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added {station.name}, run by "
                                      f"{station.validator.display_name}.")
            return redirect("checklists:station_setup", session_id=session.pk)
    return render(request, "credits/checklists/stations/setup.html", {
        "session": session, "form": form,
        "stations": selectors.stations_of_session(session=session),
    }, status=400 if form.errors else 200)


@require_GET
@login_required
def station_list(request):
    return render(request, "credits/checklists/stations/list.html",
                  {"stations": selectors.stations_of_validator(user=request.user)})


@require_GET
@login_required
def station_detail(request, pk: int):
    station = selectors.station_get_for_validator(user=request.user, pk=pk)
    skills = selectors.station_skills(station)
    query = request.GET.get("q", "")
    return render(request, "credits/checklists/stations/detail.html", {
        "station": station, "skill_count": len(skills), "query": query,
        "learners": selectors.station_learners(station=station, skills=skills, query=query),
    })


@login_required
@require_http_methods(["GET", "POST"])
def station_learner(request, pk: int, user_id: int):
    station = selectors.station_get_for_validator(user=request.user, pk=pk)
    learner = selectors.station_learner_get(station=station, user_id=user_id)
    skills = selectors.station_skills(station)
    form = StationTapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        skill = next((skill for skill in skills if skill.pk == form.cleaned_data["skill"]), None)
        if skill is None:
            form.add_error(None, _("This skill is not recorded at this station."))
        else:
            try:
                station_tap_record(station=station, learner=learner, skill=skill,
                                   status=form.cleaned_data["status"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Recorded: %(skill)s.") % {"skill": skill.title})
                return redirect(reverse("checklists:station_learner", args=[pk, user_id])
                                + f"#skill-{skill.pk}")
    learner_checklist = selectors.latest_learner_checklist(station=station, learner=learner)
    states = selectors.station_skill_states(learner_checklist=learner_checklist, skills=skills)
    return render(request, "credits/checklists/stations/learner.html", {
        "station": station, "learner": learner, "record": learner_checklist, "states": states,
        "form": form, "done": sum(state.status == "validated" for state in states),
        "level_label": station.version.level_label(station.level),
    }, status=400 if form.errors else 200)
