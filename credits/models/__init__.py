"""Attendance, the credit ledger and what is built on it (one module per concern)."""
from .attendance import Attendance
from .external import ExternalActivity
from .ledger import CreditRecord, CreditRecordChange
from .requirements import RequirementSet, TopicRequirement

__all__ = ["Attendance", "CreditRecord", "CreditRecordChange", "ExternalActivity",
           "RequirementSet", "TopicRequirement"]
