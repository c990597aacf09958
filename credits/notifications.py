"""The email kinds the credits app sends: claim reminders, licence deadlines (both
credits.learning), certificates ready (credits.certificates), required-training reminders
(credits.assignments, which cannot be switched off), the CME office's digest of board reports
near their deadline (credits.boards) and the morning's drill questions (credits.drills; a drill
that is required training uses the kind that cannot be switched off)."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [
    Kind("claim_pending", Category.CLAIM_REMINDERS, mail_merge=True),
    Kind("licence_deadline", Category.LICENCE_DEADLINES, mail_merge=True),
    Kind("certificate_ready", Category.CERTIFICATES),
    # Mail merges: a January burst sends the same reminder of one assignment to thousands.
    Kind("assignment_due_soon", Category.REQUIRED_TRAINING, mail_merge=True),
    Kind("assignment_overdue", Category.REQUIRED_TRAINING, mail_merge=True),
    Kind("board_reports_due", Category.EDUCATOR_NOTICES),
    Kind("drill_questions", Category.PRACTICE_DRILLS, mail_merge=True),
    Kind("drill_questions_required", Category.REQUIRED_TRAINING, mail_merge=True),
]
