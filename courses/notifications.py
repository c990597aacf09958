"""The email kinds the courses app sends: enrolment decisions, session reminders and changes,
and review decisions for course directors."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [
    Kind("enrolment_confirmed", Category.ENROLMENT),
    Kind("enrolment_cancelled", Category.ENROLMENT),
    Kind("enrolment_waitlisted", Category.ENROLMENT),
    Kind("enrolment_promoted", Category.ENROLMENT),
    Kind("enrolment_pending", Category.ENROLMENT),
    Kind("enrolment_approved", Category.ENROLMENT),
    Kind("enrolment_declined", Category.ENROLMENT),
    Kind("session_reminder", Category.SESSION_REMINDERS, mail_merge=True),
    Kind("session_rescheduled", Category.COURSE_CHANGES, mail_merge=True),
    Kind("session_cancelled", Category.COURSE_CHANGES, mail_merge=True),
    Kind("course_published", Category.EDUCATOR_NOTICES),
    Kind("course_returned", Category.EDUCATOR_NOTICES),
]
