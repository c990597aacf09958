"""Clinician pages for claiming credit, external credits and the transcript (page and PDF)."""
from decimal import Decimal

import filetype
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from cpd_portal.caching.parts import viewer_fragment
from credits.attendance.selectors import attended_course_or_404
from credits.ledger.claims import credit_claim, credit_claim_change
from credits.ledger.external import external_activity_create
from credits.ledger.forms import (
    ClaimChangeForm,
    ClaimForm,
    ExternalActivityForm,
    TranscriptFilterForm,
    sniff_certificate_type,
)
from credits.ledger.models import ExternalActivity
from credits.ledger.selectors import claim_status_for
from credits.ledger.transcript import TRANSCRIPT, transcript_for, transcript_notes_attach
from credits.ledger.transcript_pdf import MAX_PDF_ROWS, transcript_pdf


@login_required
def claim(request, slug: str):
    course = attended_course_or_404(user=request.user, slug=slug)
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
    return render(request, "credits/ledger/claim.html", {
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
    return redirect("ledger:transcript")


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
        return redirect("ledger:claim", slug=status.course.slug)
    messages.error(request, "That credit record has changed; here is the current claim.")
    return redirect("ledger:claim", slug=status.course.slug)


def _transcript_from_request(request):
    form = TranscriptFilterForm(request.GET or None)
    return form, transcript_for(user=request.user, filters=form.filters())


def _transcript_render(request) -> str:
    form, transcript = _transcript_from_request(request)
    transcript_notes_attach(transcript=transcript)
    return render_to_string("credits/ledger/_transcript_content.html", {
        "form": form, "transcript": transcript, "query": request.GET.urlencode(),
    }, request=request)


@login_required
def transcript(request):
    content = viewer_fragment(request, TRANSCRIPT, lambda _csrf: _transcript_render(request),
                              variant=request.GET.urlencode())
    return render(request, "credits/ledger/transcript.html", {"content": content})


def _download_name(extension: str) -> str:
    return f"transcript-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def transcript_pdf_download(request):
    _form, transcript = _transcript_from_request(request)
    if len(transcript.records) > MAX_PDF_ROWS:
        messages.warning(request, f"The PDF holds up to {MAX_PDF_ROWS} records and this "
                                  f"selection has {len(transcript.records)}. Narrow the dates, "
                                  "or download the CSV, which has every record.")
        return redirect(f"{reverse('ledger:transcript')}?{request.GET.urlencode()}")
    response = HttpResponse(transcript_pdf(transcript), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("pdf")}"'
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
            return redirect("ledger:transcript")
    return render(request, "credits/ledger/external_form.html", {"form": form})


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

