"""The office's cohort dashboard of a pathway (on track, behind, done; the step funnel), its
export, the nudge to the learners behind, and a cohort's own live sessions. Educators see their
own pathways, the CME office every one (credits.pathways.selectors.pathway_get_for_manager)."""
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from credits.pathways.cohort_sessions import (
    cohort_session_create,
    cohort_session_keep,
    cohort_sessions_of,
    sessions_to_keep_for,
    step_courses_of,
)
from credits.pathways.exporters import CohortProgressExporter
from credits.pathways.forms import CohortSessionForm, KeepSessionForm
from credits.pathways.models import Cohort
from credits.pathways.nudges import pathway_behind_nudge
from credits.pathways.office import NO_COHORT, cohort_choice, cohort_dashboard
from credits.pathways.selectors import pathway_get_for_manager
from credits.pathways.views import form_errors_as_messages, manager_required
from credits.reports.exporters.base import ExportFormat


@require_GET
@manager_required
def cohort_progress(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    cohort_value = request.GET.get("cohort") or None
    dashboard = cohort_dashboard(pathway=pathway, cohort_value=cohort_value)
    return render(request, "credits/pathways/manage_progress.html", {
        "pathway": pathway, "dashboard": dashboard, "cohort_value": cohort_value or "",
        "no_cohort": NO_COHORT, "formats": (ExportFormat.CSV, ExportFormat.XLSX)})


@require_GET
@manager_required
def cohort_progress_download(request, pk: int, fmt: str):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        raise Http404("No such format.")
    cohort_value = request.GET.get("cohort") or ""
    cohort_choice(pathway=pathway, value=cohort_value)  # 404 for a cohort of another pathway
    exporter = CohortProgressExporter()
    filters = {"pathway": pathway, "cohort": cohort_value}
    out = io.BytesIO()
    exporter.write(fmt, filters, out)
    response = HttpResponse(out.getvalue(), content_type=ExportFormat.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(fmt, filters)}"'
    return response


@require_POST
@manager_required
def cohort_nudge(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    cohort_value = request.POST.get("cohort") or None
    sent = pathway_behind_nudge(pathway=pathway, cohort_value=cohort_value)
    if sent:
        messages.success(request, f"Nudged {sent} learner{'s' if sent != 1 else ''} about "
                                  "their overdue step.")
    else:
        messages.info(request, "Nobody to nudge: every learner behind has already been "
                               "emailed about their overdue step.")
    query = f"?cohort={cohort_value}" if cohort_value else ""
    return redirect(reverse("pathways:progress", kwargs={"pk": pathway.pk}) + query)


# --- A cohort's own sessions ---------------------------------------------------------------------

def _cohort_for_manager(request, pk: int, cohort_id: int) -> Cohort:
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    return get_object_or_404(Cohort.objects.select_related("pathway"), pk=cohort_id,
                             pathway=pathway)


def _session_forms(request, cohort: Cohort, data=None) -> tuple:
    return (CohortSessionForm(data, courses=step_courses_of(cohort),
                              time_zone=request.user.time_zone),
            KeepSessionForm(data, sessions=sessions_to_keep_for(cohort, now=timezone.now())))


@require_GET
@manager_required
def cohort_sessions(request, pk: int, cohort_id: int):
    cohort = _cohort_for_manager(request, pk, cohort_id)
    create_form, keep_form = _session_forms(request, cohort)
    return render(request, "credits/pathways/manage_cohort_sessions.html", {
        "pathway": cohort.pathway, "cohort": cohort, "links": cohort_sessions_of(cohort),
        "create_form": create_form, "keep_form": keep_form})


def _session_post(request, pk: int, cohort_id: int, form_index: int, act):
    cohort = _cohort_for_manager(request, pk, cohort_id)
    form = _session_forms(request, cohort, request.POST)[form_index]
    if form.is_valid():
        try:
            link = act(cohort, form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{link.session.display_title} on "
                                      f"{timezone.localtime(link.session.starts_at):%d %b %Y} is "
                                      f"now kept for {cohort.name}.")
    else:
        form_errors_as_messages(request, form)
    return redirect("pathways:cohort_sessions", pk=cohort.pathway_id, cohort_id=cohort.pk)


@require_POST
@manager_required
def cohort_session_add(request, pk: int, cohort_id: int):
    return _session_post(request, pk, cohort_id, 0, lambda cohort, form: cohort_session_create(
        cohort=cohort, by=request.user, **form.service_kwargs()))


@require_POST
@manager_required
def cohort_session_mark(request, pk: int, cohort_id: int):
    return _session_post(request, pk, cohort_id, 1, lambda cohort, form: cohort_session_keep(
        cohort=cohort, session=form.cleaned_data["session"], by=request.user))
