"""Email kinds of the series package: the coordinator's reminder of what an upcoming session
lacks, and the learner's answer when a late-claim request is refused."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [
    Kind("series_missing_items", Category.EDUCATOR_NOTICES),
    Kind("late_claim_refused", Category.ENROLMENT),
]
