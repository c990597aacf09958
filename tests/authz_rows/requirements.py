"""Licence requirement progress: every signed-in user sees only their own licences."""
from tests.authz_rows import Row, signed_in

ROWS: dict[str, Row] = {
    "requirements/": Row(signed_in(200)),
}
