"""Email preferences and the signed one-click unsubscribe link (no login; the signature is the
authorisation, so the GET confirmation page answers everyone who holds a valid link)."""
from accounts.notifications import Category, unsubscribe_token
from tests.authz_rows import Row, everyone, signed_in

ROWS: dict[str, Row] = {
    "accounts/notifications/": Row(signed_in(200)),
    "accounts/notifications/unsubscribe/<str:token>/": Row(
        everyone(200),
        kwargs=lambda w: {"token": unsubscribe_token(user_id=w["clinician"].pk,
                                                     category=Category.SESSION_REMINDERS)}),
}
