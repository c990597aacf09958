"""Certificate pages: the learner's download, the public verification page, bulk regeneration."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import administrator_required
from courses.models import Course
from credits.certificates.forms import CertificateRevokeForm
from credits.certificates.models import CODE_LENGTH, Certificate, normalise_verification_code
from credits.certificates.revocation import certificate_revoke
from credits.certificates.selectors import (
    certificate_for_download,
    certificate_for_verification,
    certificate_regeneration_latest,
    certificate_regeneration_progress_get,
    certificate_with_revocation,
)
from credits.certificates.services import (
    certificate_regeneration_start,
)
from credits.certificates.verification import verification_path_elsewhere


@login_required
def certificate_download(request, pk: int):
    certificate = certificate_for_download(user=request.user, pk=pk)
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True,
                        filename=f"certificate-{certificate.code_display}.pdf",
                        content_type="application/pdf")


def _rate_limited(request) -> bool:
    """At most CERTIFICATE_VERIFY_RATE_PER_MINUTE lookups per IP address and minute."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"certificate-verify:{address}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE


def _too_many(request):
    response = render(request, "credits/certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET"])
def certificate_verify_form(request):
    typed = request.GET.get("code", "")
    error = ""
    if typed:  # no look-up here: the verification page it leads to is the rate-limited one
        code = normalise_verification_code(typed)
        if len(code) == CODE_LENGTH:
            return redirect("certificates:verify", code=code)
        error = (f"A verification code has {CODE_LENGTH} letters and digits, printed in four "
                 "groups of four. Check the code on the certificate and try again.")
    return render(request, "credits/certificates/verify_form.html",
                  {"typed": typed, "error": error})


@require_http_methods(["GET"])
def certificate_verify(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    code = normalise_verification_code(code)
    certificate = certificate_for_verification(code=code)
    if certificate is None and (elsewhere := verification_path_elsewhere(code)):
        return redirect(elsewhere)
    if certificate is None:
        return render(request, "credits/certificates/verify_unknown.html", {"code": code},
                      status=404)
    return render(request, "credits/certificates/verify.html", {
        "certificate": certificate,
        "is_revoked": certificate.status == Certificate.Status.REVOKED,
    })


@administrator_required
@require_http_methods(["GET", "POST"])
def certificate_regeneration(request, course_id: int):
    course = get_object_or_404(Course, pk=course_id)
    if request.method == "POST":
        run = certificate_regeneration_start(course=course, requested_by=request.user)
        messages.success(request, f"Regenerating {run.total} certificates of “{course.title}”.")
        return redirect("certificates:regeneration", course_id=course.pk)
    run = certificate_regeneration_latest(course_id=course.pk)
    if run:
        run = certificate_regeneration_progress_get(run=run)
    return render(request, "credits/certificates/regeneration.html", {
        "course": course, "run": run,
        "certificate_count": course.certificates.exclude(
            status=Certificate.Status.REVOKED).count(),
    })


@administrator_required
@require_http_methods(["GET"])
def certificate_regeneration_progress(request, course_id: int):
    course = get_object_or_404(Course, pk=course_id)
    run = certificate_regeneration_latest(course_id=course.pk)
    if run:
        run = certificate_regeneration_progress_get(run=run)
    return render(request, "credits/certificates/_regeneration_progress.html",
                  {"course": course, "run": run})


@administrator_required
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, pk: int):
    certificate = certificate_with_revocation(pk=pk)
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate=certificate, actor=request.user,
                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Certificate {certificate.code_display} is revoked; its "
                                      "verification page and digital credential say so now.")
            return redirect("certificates:verify", code=certificate.verification_code)
    return render(request, "credits/certificates/revoke.html",
                  {"certificate": certificate, "form": form},
                  status=400 if form.errors else 200)
