"""Attendance, the credit ledger and what is built on it (one module per concern)."""
from .attendance import Attendance
from .certificates import Certificate, CertificateRegeneration, CertificateRender
from .evaluations import EvaluationAnswer, EvaluationQuestion, EvaluationResponse
from .exports import ExportRun
from .external import ExternalActivity
from .imports import AttendanceImport
from .ledger import CreditRecord, CreditRecordChange
from .requirements import RequirementSet, TopicRequirement

__all__ = ["Attendance", "AttendanceImport", "Certificate", "CertificateRegeneration",
           "CertificateRender", "CreditRecord", "CreditRecordChange", "EvaluationAnswer",
           "EvaluationQuestion", "EvaluationResponse", "ExportRun", "ExternalActivity",
           "RequirementSet", "TopicRequirement"]
