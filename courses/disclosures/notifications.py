"""Email kinds of the disclosure package: the request to disclose (with its signed link) and
the reminder before a disclosure lapses (educator notices: faculty without an account receive
them through a contact row, see services.disclosure_contact_user)."""
from accounts.notifications import Category, Kind

EMAIL_KINDS = [
    Kind("disclosure_request", Category.EDUCATOR_NOTICES),
    Kind("disclosure_expiring", Category.EDUCATOR_NOTICES),
]
