"""My learning: the clinician's home, with what needs them first."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from courses.selectors.learner import waiting_enrolments_for
from cpd_portal.caching.parts import viewer_fragment
from credits.certificates.selectors import certificate_list_for_learner
from credits.drills.selectors import drill_progress_for
from credits.learning.selectors import (
    MY_LEARNING,
    learning_todo_for,
    upcoming_sessions_for,
)
from credits.online.selectors import online_progress_for
from credits.pathways.selectors import pathway_progress_list_for
from credits.requirements.selectors import requirement_progress_for
from credits.suggestions.selectors import suggestions_for


def _sections_render(request, csrf_token: str) -> str:
    user = request.user
    missing_profile = [label for label, present in [
        ("your degree", user.degree),
        ("your NPI", user.npi or user.profession != "physician"),
        ("a licence", user.licences.exists()),
    ] if not present]
    requirement_progress = requirement_progress_for(user=user)
    pathway_progress = pathway_progress_list_for(user=user)
    return render_to_string("credits/learning/_sections.html", {
        "csrf_token": csrf_token,
        "missing_profile": missing_profile,
        "learning_todo": learning_todo_for(user=user),
        "online_progress": online_progress_for(user=user),
        "pathway_progress": pathway_progress,
        "suggestions": suggestions_for(user=user, requirement_progress=requirement_progress,
                                       pathway_progress=pathway_progress),
        "drill_progress": drill_progress_for(user=user),
        "certificates": certificate_list_for_learner(user=user),
        "requirement_progress": requirement_progress,
        "upcoming_sessions": upcoming_sessions_for(user=user),
        "waiting_enrolments": waiting_enrolments_for(user=user),
    }, request=request)


@login_required
@require_GET
def my_learning(request):
    sections = viewer_fragment(request, MY_LEARNING,
                               lambda csrf_token: _sections_render(request, csrf_token))
    return render(request, "credits/learning/my_learning.html", {"sections": sections})
