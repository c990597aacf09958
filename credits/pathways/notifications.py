"""The email kind of pathways: an application's decision (accepted, waitlisted, declined, or a
place offered from the waitlist), one email per decision through the outbox."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [Kind("pathway_application", Category.ENROLMENT)]
