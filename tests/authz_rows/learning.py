"""Clinician learning pages and educator pages."""
from tests.authz_rows import Row, signed_in

EDUCATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                  "educator": 200, "administrator": 403}

ROWS: dict[str, Row] = {
    "learning/": Row(signed_in(200)),
    "educator/": Row(EDUCATORS_ONLY),
}
