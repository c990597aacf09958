"""Report pages: the index of exporters, one page per exporter, export progress and the
export history. Administrators only, except the roster download for a course's directors and
the clinician's own transcript CSV."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import administrator_required
from courses.selectors.educator import course_get_for_director, course_get_for_manager
from cpd_portal.replica import reads_from_replica
from credits.assignments.models import Assignment
from credits.assignments.selectors import STATUSES, assignment_completion_by_group
from credits.ledger.forms import TranscriptFilterForm
from credits.reports import charts
from credits.reports.dashboard import (
    activities_by_format,
    credits_issued_per_month,
    learners_by_profession,
    licence_compliance,
)
from credits.reports.exporters import EXPORTERS, PAGE_EXPORTERS, ExportFormat, exporter_get
from credits.reports.forms import ExportFormatForm
from credits.reports.interprofessional import (
    accreditation_term,
    ipce_share,
    participation_by_profession,
)
from credits.reports.models import ExportRun
from credits.reports.pars_uploaded import PARS_LEARNER_FILE, pars_learner_file_mark_uploaded
from credits.reports.selectors import export_history, export_runs_recent_for
from credits.reports.services import (
    export_async_threshold,
    export_build_in_request,
    export_start,
    export_stream,
)

HISTORY_PAGE_SIZE = 50


def _download_response(*, run: ExportRun, exporter, cleaned_filters: dict):
    filename = exporter.filename(run.format, cleaned_filters)
    content_type = ExportFormat.CONTENT_TYPES[run.format]
    if exporter.streams(run.format):
        response = StreamingHttpResponse(
            export_stream(run=run, exporter=exporter, cleaned_filters=cleaned_filters),
            content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    built = export_build_in_request(run=run, exporter=exporter, cleaned_filters=cleaned_filters)
    return FileResponse(built, as_attachment=True, filename=filename, content_type=content_type)


@require_GET
@administrator_required
def index(request):
    return render(request, "credits/reports/index.html", {
        "exporters": EXPORTERS.values(),
        "recent_runs": export_runs_recent_for(user=request.user),
    })


@administrator_required
def export(request, identifier: str):
    exporter = EXPORTERS.get(identifier)
    if exporter is None:
        raise Http404("No such report.")
    if request.method == "POST":
        filter_form = exporter.bind_form(request.POST)
        format_form = ExportFormatForm(request.POST, exporter=exporter)
        if filter_form.is_valid() and format_form.is_valid():
            cleaned = filter_form.cleaned_data
            try:
                run = export_start(exporter=exporter, cleaned_filters=cleaned,
                                   fmt=format_form.cleaned_data["format"], user=request.user)
            except ValidationError as error:
                format_form.add_error(None, error)
            else:
                if run.delivery == ExportRun.Delivery.BACKGROUND:
                    return redirect("reports:run_detail", run_id=run.pk)
                return _download_response(run=run, exporter=exporter, cleaned_filters=cleaned)
    else:
        filter_form = exporter.bind_form()
        format_form = ExportFormatForm(exporter=exporter)
    return render(request, "credits/reports/export.html", {
        "exporter": exporter, "filter_form": filter_form, "format_form": format_form,
        "async_threshold": export_async_threshold(),
    })


def _run_or_404(run_id: int) -> ExportRun:
    return get_object_or_404(ExportRun.objects.select_related("requested_by"), pk=run_id)


@require_GET
@administrator_required
def run_detail(request, run_id: int):
    run = _run_or_404(run_id)
    return render(request, "credits/reports/run_detail.html",
                  {"run": run, "exporter": exporter_get(run.exporter),
                   "can_mark_uploaded": run.exporter == PARS_LEARNER_FILE
                   and run.status == ExportRun.Status.DONE})


@require_POST
@administrator_required
def run_mark_uploaded(request, run_id: int):
    run = _run_or_404(run_id)
    try:
        marked = pars_learner_file_mark_uploaded(run=run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked uploaded to ACCME PARS: {marked} ABIM MOC "
                                  f"row{'s' if marked != 1 else ''} now count as reported."
                         if marked else "Marked uploaded; no ABIM MOC rows were waiting for "
                                        "this file.")
    return redirect("reports:run_detail", run_id=run.pk)


@require_GET
@administrator_required
def run_progress(request, run_id: int):
    return render(request, "credits/reports/_run_progress.html", {"run": _run_or_404(run_id)})


@require_GET
@administrator_required
def run_download(request, run_id: int):
    run = _run_or_404(run_id)
    if run.status != ExportRun.Status.DONE or not run.file:
        raise Http404("This export has no file to download.")
    exporter = exporter_get(run.exporter)
    stem = exporter.filename_stem if exporter else run.exporter
    return FileResponse(run.file.open("rb"), as_attachment=True,
                        filename=f"{stem}-{run.pk}.{run.format}",
                        content_type=ExportFormat.CONTENT_TYPES.get(run.format))


@require_GET
@administrator_required
def history(request):
    page = Paginator(export_history(), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credits/reports/history.html",
                  {"page": page, "exporters": EXPORTERS})


def _download_now(*, request, exporter, cleaned_filters: dict) -> HttpResponse:
    """A small export offered on a page of its own, built in the request and logged."""
    run = export_start(exporter=exporter, cleaned_filters=cleaned_filters, fmt=ExportFormat.CSV,
                       user=request.user, allow_background=False)
    body = b"".join(export_stream(run=run, exporter=exporter, cleaned_filters=cleaned_filters))
    response = HttpResponse(body, content_type=ExportFormat.CONTENT_TYPES[ExportFormat.CSV])
    filename = exporter.filename(ExportFormat.CSV, cleaned_filters)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@administrator_required
def history_csv(request):
    return _download_now(request=request, exporter=PAGE_EXPORTERS["export_history"],
                         cleaned_filters={})


@require_GET
@login_required
def educator_roster_csv(request, course_id: int):
    """A course director's roster download; anyone else gets 404, not a hint it exists."""
    course = course_get_for_director(user=request.user, pk=course_id)
    exporter = EXPORTERS["course_roster"]
    cleaned = {"course": course}
    run = export_start(exporter=exporter, cleaned_filters=cleaned, fmt=ExportFormat.CSV,
                       user=request.user, allow_background=False)
    return _download_response(run=run, exporter=exporter, cleaned_filters=cleaned)


@require_GET
@login_required
def educator_attempts_download(request, course_id: int, fmt: str):
    """A course director's post-test attempts as CSV or XLSX; anyone else gets 404."""
    course = course_get_for_director(user=request.user, pk=course_id)
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        raise Http404("No such format.")
    exporter = EXPORTERS["post_test_attempts"]
    cleaned = {"course": course}
    run = export_start(exporter=exporter, cleaned_filters=cleaned, fmt=fmt,
                       user=request.user, allow_background=False)
    return _download_response(run=run, exporter=exporter, cleaned_filters=cleaned)


@require_GET
@login_required
def package_interactions_download(request, course_id: int, fmt: str):
    """The questions and answers a course's package reported, as CSV or XLSX: its directors and
    the CME office (as the package results page); anyone else gets 403 or 404."""
    course = course_get_for_manager(user=request.user, pk=course_id)
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        raise Http404("No such format.")
    exporter = EXPORTERS["package_interactions"]
    cleaned = {"course": course}
    run = export_start(exporter=exporter, cleaned_filters=cleaned, fmt=fmt,
                       user=request.user, allow_background=False)
    return _download_response(run=run, exporter=exporter, cleaned_filters=cleaned)


@login_required
def transcript_csv_download(request):
    form = TranscriptFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return _download_now(request=request, exporter=PAGE_EXPORTERS["transcript"],
                         cleaned_filters={**filters, "learner": request.user})


@require_GET
@administrator_required
@reads_from_replica
def dashboard(request):
    """The CME office's charts; every figure comes from one selector in reports.dashboard,
    read from the replica when there is one (docs/operations.md#read-replica)."""
    monthly = credits_issued_per_month()
    columns, largest = charts.stacked_columns(
        [f"{month:%b}" for month in monthly.months], monthly.credit_type_labels, monthly.amounts)
    professions = learners_by_profession()
    formats = activities_by_format()
    groups = assignment_completion_by_group()
    compliance = licence_compliance()
    term = accreditation_term()
    ipce = ipce_share(term)
    # The year under the first month and under each January: twelve months span two years.
    years = [f"{month:%Y}" if index == 0 or month.month == 1 else ""
             for index, month in enumerate(monthly.months)]
    return render(request, "credits/reports/dashboard.html", {
        "monthly": monthly, "columns": list(zip(columns, years, strict=True)),
        "column_max": largest,
        "professions": professions, "profession_bars": charts.horizontal_bars(professions),
        "formats": formats, "format_bars": charts.horizontal_bars(formats),
        "groups": groups, "compliance": compliance,
        "compliance_bar": charts.stacked_bar([("Met", compliance.met),
                                              ("On track", compliance.on_track),
                                              ("Behind", compliance.behind)], area=260),
        "term": term, "ipce": ipce,
        "ipce_bar": charts.stacked_bar([("With IPCE", ipce.with_ipce),
                                        ("Without IPCE", ipce.activities - ipce.with_ipce)],
                                       area=260),
        "participation": participation_by_profession(term),
    })


@require_GET
@administrator_required
def assignment_learners_download(request, assignment_id: int, fmt: str):
    """The drill-down of one assignment as CSV or XLSX, through its exporter (and logged)."""
    assignment = get_object_or_404(Assignment.objects.exclude(status=Assignment.Status.DRAFT),
                                   pk=assignment_id)
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        raise Http404("No such format.")
    status = request.GET.get("status", "")
    cleaned = {"assignment": assignment, "status": status if status in STATUSES else ""}
    exporter = EXPORTERS["assignment_learners"]
    run = export_start(exporter=exporter, cleaned_filters=cleaned, fmt=fmt, user=request.user,
                       allow_background=False)
    return _download_response(run=run, exporter=exporter, cleaned_filters=cleaned)
