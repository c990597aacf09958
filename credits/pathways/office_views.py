"""The office's cohort dashboard of a pathway (on track, behind, done; the step funnel), its
export, and the nudge to the learners behind. Educators see their own pathways, the CME office
every one (credits.pathways.selectors.pathway_get_for_manager)."""
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from credits.pathways.exporters import CohortProgressExporter
from credits.pathways.nudges import pathway_behind_nudge
from credits.pathways.office import NO_COHORT, cohort_choice, cohort_dashboard
from credits.pathways.selectors import pathway_get_for_manager
from credits.pathways.views import manager_required
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
