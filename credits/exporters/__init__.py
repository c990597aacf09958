"""Every report the CME office can export, by identifier."""
from .annual_summary import AnnualSummaryExporter
from .base import Exporter, ExportFormat
from .course_roster import CourseRosterExporter
from .credit_report import CreditReportExporter
from .pars_activities import ParsActivityExporter
from .pars_learners import ParsLearnerExporter, ParsLearnerValidationExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in (CreditReportExporter(), ParsLearnerExporter(),
                     ParsLearnerValidationExporter(), ParsActivityExporter(),
                     AnnualSummaryExporter(), CourseRosterExporter())
}


def exporter_get(identifier: str) -> Exporter | None:
    return EXPORTERS.get(identifier)


__all__ = ["EXPORTERS", "ExportFormat", "Exporter", "exporter_get"]
