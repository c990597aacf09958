"""Attendance, claims, the credit ledger, certificates and requirements."""
