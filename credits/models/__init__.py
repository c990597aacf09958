"""Attendance, the credit ledger and what is built on it (one module per concern)."""
from .attendance import Attendance
from .certificates import Certificate, CertificateRegeneration, CertificateRender
from .external import ExternalActivity
from .ledger import CreditRecord, CreditRecordChange

__all__ = ["Attendance", "Certificate", "CertificateRegeneration", "CertificateRender",
           "CreditRecord", "CreditRecordChange", "ExternalActivity"]
