"""Clinician pages for evaluation, claiming credit, external credits and the transcript, and
the educators' evaluation results."""
import csv
from decimal import Decimal

import filetype
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from credits.csv_safety import escape_csv_cell
from credits.forms import (
    ClaimChangeForm,
    ClaimForm,
    EvaluationForm,
    ExternalActivityForm,
    TranscriptFilterForm,
    sniff_certificate_type,
)
from credits.models import ExternalActivity
from credits.online.selectors import attended_or_completed
from credits.selectors.claims import claim_status_for
from credits.selectors.evaluations import (
    evaluation_done_by,
    evaluation_questions_for,
    evaluation_results_for,
)
from credits.selectors.transcript import TranscriptFilters, transcript_for
from credits.services.claims import credit_claim, credit_claim_change
from credits.services.evaluations import evaluation_submit
from credits.services.external import external_activity_create
from credits.transcript_pdf import MAX_PDF_ROWS, transcript_pdf


def _attended_course_or_404(user, slug: str) -> Course:
    """Evaluation and claim pages exist only for clinicians whose attendance is recorded."""
    course = get_object_or_404(Course, slug=slug)
    if not attended_or_completed(user=user, course=course):
        raise Http404("No attendance recorded for this activity.")
    return course


@login_required
def evaluation(request, slug: str):
    course = _attended_course_or_404(request.user, slug)
    if evaluation_done_by(user=request.user, course=course):
        messages.info(request, "You have already evaluated this activity. Thank you.")
        return redirect("credits:claim", slug=course.slug)
    questions = evaluation_questions_for(course)
    form = EvaluationForm(request.POST if request.method == "POST" else None,
                          questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(user=request.user, course=course, answers=form.answers())
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, "Thank you: your evaluation is recorded. You can now "
                                      "claim your credit.")
        return redirect("credits:claim", slug=course.slug)
    return render(request, "credits/evaluation_form.html", {"course": course, "form": form})


@login_required
def claim(request, slug: str):
    course = _attended_course_or_404(request.user, slug)
    status = claim_status_for(user=request.user, course=course)
    form = ClaimForm(status=status)
    change_forms = [ClaimChangeForm(option=option) for option in status.claimed_options]
    if request.method == "POST":
        # Change forms are prefixed "change-<credit type>"; the claim form is not.
        if any(key.startswith("change-") for key in request.POST):
            response = _claim_change(request, status, change_forms)
        else:
            form = ClaimForm(request.POST, status=status)
            response = _claim_new(request, course, form)
        if response is not None:
            return response
    return render(request, "credits/claim.html", {
        "course": course, "status": status, "form": form, "change_forms": change_forms,
    })


def _claim_new(request, course: Course, form: ClaimForm):
    if not form.is_valid():
        return None
    try:
        records = credit_claim(user=request.user, course=course, amounts=form.amounts())
    except ValidationError as error:
        form.add_error(None, error)
        return None
    claimed = ", ".join(record.amount_display for record in records)
    messages.success(request, f"Claimed {claimed}. It is on your transcript.")
    return redirect("credits:transcript")


def _claim_change(request, status, change_forms: list[ClaimChangeForm]):
    for index, change_form in enumerate(change_forms):
        bound = ClaimChangeForm(request.POST, option=change_form.option)
        if f"{bound.prefix}-record" not in request.POST:
            continue
        change_forms[index] = bound
        if not bound.is_valid():
            return None
        try:
            record = credit_claim_change(record=bound.option.claimed,
                                         amount=Decimal(bound.cleaned_data["amount"]),
                                         actor=request.user)
        except ValidationError as error:
            bound.add_error(None, error)
            return None
        messages.success(request, f"Your claim is now {record.amount_display}.")
        return redirect("credits:claim", slug=status.course.slug)
    messages.error(request, "That credit record has changed; here is the current claim.")
    return redirect("credits:claim", slug=status.course.slug)


@login_required
def evaluation_results(request, course_id: int):
    user = request.user
    if not (user.is_educator or user.is_administrator):
        raise PermissionDenied
    courses = Course.objects.all() if user.is_administrator else user.directed_courses.all()
    course = get_object_or_404(courses, pk=course_id)
    return render(request, "credits/evaluation_results.html",
                  {"course": course, "results": evaluation_results_for(course)})


def _transcript_from_request(request):
    form = TranscriptFilterForm(request.GET or None)
    filters = TranscriptFilters()
    if form.is_bound and form.is_valid():
        filters = TranscriptFilters(start=form.cleaned_data["start"],
                                    end=form.cleaned_data["end"],
                                    credit_type=form.cleaned_data["credit_type"],
                                    include_voided=form.cleaned_data["voided"])
    return form, transcript_for(user=request.user, filters=filters)


@login_required
def transcript(request):
    form, transcript = _transcript_from_request(request)
    return render(request, "credits/transcript.html", {
        "form": form, "transcript": transcript, "query": request.GET.urlencode(),
    })


def _download_name(extension: str) -> str:
    return f"transcript-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def transcript_pdf_download(request):
    _form, transcript = _transcript_from_request(request)
    if len(transcript.records) > MAX_PDF_ROWS:
        messages.warning(request, f"The PDF holds up to {MAX_PDF_ROWS} records and this "
                                  f"selection has {len(transcript.records)}. Narrow the dates, "
                                  "or download the CSV, which has every record.")
        return redirect(f"{reverse('credits:transcript')}?{request.GET.urlencode()}")
    response = HttpResponse(transcript_pdf(transcript), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("pdf")}"'
    return response


CSV_HEADER = ["Activity", "Provider", "Completed on", "Claimed on", "Credit type", "Amount",
              "Source", "Status", "Void reason"]


@login_required
def transcript_csv_download(request):
    _form, transcript = _transcript_from_request(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("csv")}"'
    response.write("\ufeff")  # so spreadsheet programs read the ™ in credit names as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for record in transcript.records:
        provider = (record.external_activity.provider if record.external_activity_id
                    else settings.HOSPITAL_NAME)
        title = record.course.title if record.course_id else record.external_activity.title
        writer.writerow([escape_csv_cell(value) for value in [
            title, provider, record.completed_on.isoformat(),
            timezone.localdate(record.claimed_at).isoformat(), record.get_credit_type_display(),
            f"{record.amount:.2f}", record.get_source_display(), record.get_status_display(),
            record.void_reason]])
    return response


@login_required
def external_new(request):
    if request.method == "POST":
        form = ExternalActivityForm(request.POST, request.FILES)
    else:
        form = ExternalActivityForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = external_activity_create(
                user=request.user, provider=data["provider"], title=data["title"],
                completed_on=data["completed_on"], credit_type=data["credit_type"],
                amount=data["amount"], topics=data["topics"], certificate=data["certificate"],
                certificate_mime=sniff_certificate_type(data["certificate"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            record = activity.credit_records.get()
            messages.success(request, f"Added {record.amount_display} from {activity.title} "
                                      "to your transcript.")
            return redirect("credits:transcript")
    return render(request, "credits/external_form.html", {"form": form})


@login_required
def external_certificate(request, pk: int):
    activities = ExternalActivity.objects.all()
    if not request.user.is_administrator:
        activities = activities.filter(user=request.user)
    activity = get_object_or_404(activities, pk=pk)
    handle = activity.certificate.open("rb")
    kind = filetype.guess(handle.read(261))
    handle.seek(0)
    content_type = kind.mime if kind else "application/octet-stream"
    extension = kind.extension if kind else "bin"
    return FileResponse(handle, as_attachment=True, content_type=content_type,
                        filename=f"external-certificate-{activity.pk}.{extension}")

