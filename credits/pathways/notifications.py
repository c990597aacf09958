"""The email kinds of pathways: an application's decision (accepted, waitlisted, declined, or a
place offered from the waitlist), one email per decision; and the office's nudge about an
overdue step, one per learner and step. Both through the outbox. The nudge is about a
programme the learner is enrolled on, so it sits with enrolment emails (one can switch it off)."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [Kind("pathway_application", Category.ENROLMENT),
               Kind("pathway_step_overdue", Category.ENROLMENT)]
