"""CPE Monitor and MOC reporting for the CME office (administrators only)."""
import datetime
from decimal import Decimal

from django.utils import timezone

from credits.models import BoardReport, CreditRecord, ExportRun
from tests.authz_rows import Row
from tests.factories import CourseFactory

ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403}


def objects(world):
    record = CreditRecord.objects.create(
        user=world["clinician"], course=CourseFactory(title="Anticoagulation update"),
        credit_type="acpe", amount=Decimal("1.00"), completed_on=datetime.date.today(),
        claimed_at=timezone.now(), source="claim")
    report = BoardReport.objects.create(
        credit_record=record, board="cpe_monitor", status="rejected", fix_by="learner",
        message="Provided DOB is not a match.", due_on=datetime.date.today())
    pars_run = ExportRun.objects.create(
        exporter="pars_learners", filters={}, filters_summary="no filters", format="txt",
        delivery=ExportRun.Delivery.STREAMED, requested_by=world["administrator"],
        status=ExportRun.Status.DONE, finished_at=timezone.now())
    return {"board_report": report, "pars_run": pars_run}


ROWS: dict[str, Row] = {
    "board-reporting/": Row({**ADMINISTRATORS_ONLY, "administrator": 200}),
    "board-reporting/<int:report_id>/resubmit/": Row(
        {**ADMINISTRATORS_ONLY, "administrator": "redirect"}, method="post",
        kwargs=lambda w: {"report_id": w["board_report"].pk}),
    "reports/runs/<int:run_id>/pars-uploaded/": Row(
        {**ADMINISTRATORS_ONLY, "administrator": "redirect"}, method="post",
        kwargs=lambda w: {"run_id": w["pars_run"].pk}),
}
