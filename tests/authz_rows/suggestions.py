"""Next for you: dismissing a suggestion is the signed-in learner's own (keyed by their user)."""
from tests.authz_rows import Row, signed_in

ROWS: dict[str, Row] = {
    "learning/suggestions/<str:key>/dismiss/": Row(
        signed_in("redirect"), method="post", kwargs=lambda w: {"key": "specialty:1"}),
}
