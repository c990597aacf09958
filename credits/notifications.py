"""The email kinds the credits app sends: claim reminders, licence deadlines (both
credits.learning), certificates ready (credits.certificates), required-training reminders
(credits.assignments, which cannot be switched off) and the CME office's digest of board reports
near their deadline (credits.boards)."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [
    Kind("claim_pending", Category.CLAIM_REMINDERS, mail_merge=True),
    Kind("licence_deadline", Category.LICENCE_DEADLINES, mail_merge=True),
    Kind("certificate_ready", Category.CERTIFICATES),
    Kind("assignment_due_soon", Category.REQUIRED_TRAINING),
    Kind("assignment_overdue", Category.REQUIRED_TRAINING),
    Kind("board_reports_due", Category.EDUCATOR_NOTICES),
]
