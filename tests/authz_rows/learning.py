"""Clinician learning pages."""
from tests.authz_rows import Row, signed_in

ROWS: dict[str, Row] = {
    "learning/": Row(signed_in(200)),
}
