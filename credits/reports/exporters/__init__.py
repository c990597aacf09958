"""Every report the CME office can export (EXPORTERS, listed on /reports/), and the exports
other pages offer (a clinician's transcript, the export history), by identifier."""
from credits.reports.exporters.annual_summary import AnnualSummaryExporter
from credits.reports.exporters.assignment_learners import AssignmentLearnersExporter
from credits.reports.exporters.base import Exporter, ExportFormat
from credits.reports.exporters.course_roster import CourseRosterExporter
from credits.reports.exporters.credit_report import CreditReportExporter
from credits.reports.exporters.disclosure_audit import DisclosureAuditExporter
from credits.reports.exporters.export_history import ExportHistoryExporter
from credits.reports.exporters.package_interactions import PackageInteractionsExporter
from credits.reports.exporters.pars_activities import ParsActivityExporter
from credits.reports.exporters.pars_learners import (
    ParsLearnerExporter,
    ParsLearnerValidationExporter,
)
from credits.reports.exporters.post_test_attempts import PostTestAttemptsExporter
from credits.reports.exporters.transcript import TranscriptExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in (CreditReportExporter(), ParsLearnerExporter(),
                     ParsLearnerValidationExporter(), ParsActivityExporter(),
                     AnnualSummaryExporter(), CourseRosterExporter(),
                     PostTestAttemptsExporter(), PackageInteractionsExporter(),
                     AssignmentLearnersExporter(), DisclosureAuditExporter())
}


# Not on the reports index: each is offered by its own page, with filters that page sets.
PAGE_EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in (TranscriptExporter(), ExportHistoryExporter())
}


def exporter_get(identifier: str) -> Exporter | None:
    return EXPORTERS.get(identifier) or PAGE_EXPORTERS.get(identifier)


__all__ = ["EXPORTERS", "PAGE_EXPORTERS", "ExportFormat", "Exporter", "exporter_get"]
