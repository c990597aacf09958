"""The CME office's page of what went to ACCME PARS and CE Broker by web service, and the
resubmit button. Administrators only."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import administrator_required
from credits.webservices.models import Submission
from credits.webservices.selectors import submission_counts, submissions_open
from credits.webservices.services import submission_resubmit


@require_GET
@administrator_required
def status(request):
    service = request.GET.get("service", "")
    if service and service not in Submission.Service.values:
        raise Http404("No such service.")
    today = timezone.localdate()
    return render(request, "credits/webservices/status.html", {
        "counts": submission_counts(today=today),
        "rows": submissions_open(service=service),
        "service": service,
        "today": today,
        "pars_configured": bool(settings.PARS_URL),
        "ce_broker_configured": bool(settings.CE_BROKER_URL),
    })


@require_POST
@administrator_required
def resubmit(request, submission_id: int):
    submission = get_object_or_404(Submission.objects.select_related("user", "course"),
                                   pk=submission_id)
    was_rejected = submission.status == Submission.Status.REJECTED
    try:
        submission_resubmit(submission=submission, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_rejected:
            messages.success(request, f"{submission.get_kind_display()} for "
                                      f"“{submission.course.title}” is queued again.")
        else:
            messages.info(request, "It was already queued; nothing was sent twice.")
    return redirect("webservices:status")
