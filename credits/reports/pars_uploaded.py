"""Marking a PARS learner file uploaded to ACCME: its ABIM MOC rows count as reported.

This lives in reports, not boards, because the file and its filters are the reports layer's
(the PARS exporter and the export log); boards sits below reports and only offers
`moc_reports_mark_uploaded`. The file's rows are computed again from the run's stored filters,
limited to credit claimed before the export ran, so later claims are not marked by mistake.
"""
from django.core.exceptions import ValidationError

from accounts.models import User
from courses.credit_types import CreditType
from credits.boards.services import moc_reports_mark_uploaded
from credits.ledger.models import CreditRecord
from credits.reports.exporters import exporter_get
from credits.reports.exporters.pars_learners import pars_completions_queryset
from credits.reports.models import ExportRun

PARS_LEARNER_FILE = "pars_learners"


def pars_file_moc_record_ids(*, run: ExportRun) -> list[int]:
    """The ABIM MOC credit records whose learner and activity rows the file held."""
    filters = exporter_get(PARS_LEARNER_FILE).clean_filters(run.filters)
    pairs = set()
    for row in pars_completions_queryset(filters).filter(claimed_at__lte=run.created_at):
        has_board = row["user__certifying_board"] and row["user__board_id"]
        has_birth = row["user__birth_month"] and row["user__birth_day"]
        if row["moc_points"] and has_board and has_birth:
            pairs.add((row["user_id"], row["course_id"]))
    if not pairs:
        return []
    records = CreditRecord.objects.filter(
        credit_type=CreditType.ABIM_MOC, status=CreditRecord.Status.ACTIVE,
        claimed_at__lte=run.created_at, user_id__in={u for u, _ in pairs},
        course_id__in={c for _, c in pairs}).values_list("pk", "user_id", "course_id")
    return [pk for pk, user_id, course_id in records if (user_id, course_id) in pairs]


def pars_learner_file_mark_uploaded(*, run: ExportRun, actor: User) -> int:
    """Record that the office uploaded this PARS learner file; returns the MOC rows reported."""
    if run.exporter != PARS_LEARNER_FILE or run.status != ExportRun.Status.DONE:
        raise ValidationError("Only a finished PARS learner file can be marked uploaded.")
    return moc_reports_mark_uploaded(credit_record_ids=pars_file_moc_record_ids(run=run),
                                     reference=f"PARS learner file #{run.pk}", actor=actor)
