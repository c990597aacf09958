"""Signals other parts of the portal listen to (certificates, reminders).

Sent after the transaction that changed the ledger commits.
"""
from django.dispatch import Signal

# Sent with user_id and course_id when a learner's credit for a course is claimed or changed.
course_credits_changed = Signal()
