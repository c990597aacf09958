"""Attendance, the credit ledger and what is built on it (one module per concern)."""
from .attendance import Attendance
from .exports import ExportRun
from .external import ExternalActivity
from .ledger import CreditRecord, CreditRecordChange

__all__ = ["Attendance", "CreditRecord", "CreditRecordChange", "ExportRun", "ExternalActivity"]
