"""The CME office's board-reporting dashboard and the resubmit button. Administrators only."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import administrator_required
from credits.boards.models import BoardReport
from credits.boards.selectors import board_report_counts, board_reports_open
from credits.boards.services import board_report_resubmit


@require_GET
@administrator_required
def dashboard(request):
    today = timezone.localdate()
    return render(request, "credits/boards/dashboard.html", {
        "counts": board_report_counts(today=today),
        "reports": board_reports_open(),
        "today": today,
        "cpe_monitor_configured": bool(settings.CPE_MONITOR_URL),
        "web_services_configured": bool(settings.PARS_URL or settings.CE_BROKER_URL),
    })


@require_POST
@administrator_required
def resubmit(request, report_id: int):
    report = get_object_or_404(BoardReport.objects.select_related("credit_record__user"),
                               pk=report_id)
    was_rejected = report.status == BoardReport.Status.REJECTED
    try:
        board_report_resubmit(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        learner = report.credit_record.user.full_name
        if was_rejected:
            messages.success(request, f"The report for {learner} is queued for CPE Monitor "
                                      "again.")
        else:
            messages.info(request, f"The report for {learner} was already queued; nothing "
                                   "was sent twice.")
    return redirect("boards:dashboard")
