"""Every report the CME office can export, by identifier."""
from credits.reports.exporters.annual_summary import AnnualSummaryExporter
from credits.reports.exporters.base import Exporter, ExportFormat
from credits.reports.exporters.course_roster import CourseRosterExporter
from credits.reports.exporters.credit_report import CreditReportExporter
from credits.reports.exporters.pars_activities import ParsActivityExporter
from credits.reports.exporters.pars_learners import (
    ParsLearnerExporter,
    ParsLearnerValidationExporter,
)
from credits.reports.exporters.post_test_attempts import PostTestAttemptsExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in (CreditReportExporter(), ParsLearnerExporter(),
                     ParsLearnerValidationExporter(), ParsActivityExporter(),
                     AnnualSummaryExporter(), CourseRosterExporter(),
                     PostTestAttemptsExporter())
}


def exporter_get(identifier: str) -> Exporter | None:
    return EXPORTERS.get(identifier)


__all__ = ["EXPORTERS", "ExportFormat", "Exporter", "exporter_get"]
