"""The credits app's models, defined in its feature packages and gathered here because Django
discovers an app's models in `<app>.models`. Product code imports a model from its package
(`credits.ledger.models`), so that the import-linter layers see the real dependency."""
from credits.assignments.models import Assignment, AssignmentMember
from credits.attendance.models import Attendance, AttendanceChange, AttendanceImport
from credits.boards.models import BoardReport, BoardReportAttempt
from credits.certificates.models import (
    Certificate,
    CertificateCredential,
    CertificateRegeneration,
    CertificateRender,
    CertificateRevocation,
)
from credits.drills.models import DrillAnswer, DrillCard, DrillDelivery, DrillEnrolment
from credits.evaluations.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse
from credits.ledger.models import CreditRecord, CreditRecordChange, ExternalActivity
from credits.reports.models import ExportRun
from credits.requirements.models import RequirementSet, RequirementSetChange, TopicRequirement

__all__ = ["Assignment", "AssignmentMember", "Attendance", "AttendanceChange", "AttendanceImport",
           "BoardReport", "BoardReportAttempt", "Certificate", "CertificateCredential",
           "CertificateRegeneration", "CertificateRender", "CertificateRevocation",
           "CreditRecord", "CreditRecordChange",
           "DrillAnswer", "DrillCard", "DrillDelivery", "DrillEnrolment", "EvaluationAnswer",
           "EvaluationQuestion", "EvaluationResponse", "ExportRun", "ExternalActivity",
           "RequirementSet", "RequirementSetChange", "TopicRequirement"]
