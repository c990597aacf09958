"""Rows of the authorization matrix, one module per area of the portal.

Each module defines ROWS (URL route -> Row) and may define `objects(world) -> dict` to add the
objects its URLs name (a course, a certificate, ...) to the shared `world`.
"""
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "clinician", "other_clinician", "educator", "administrator")


@dataclass
class Row:
    expect: dict[str, Any]
    method: str = "get"
    kwargs: Any = field(default=None)  # callable(world) -> URL kwargs
    # API routes: each person sends a personal access token holding every personal scope
    # instead of a session, and `expect["service"]` is what a service token with the `reports`
    # scope gets (tests/authz_rows/api.py makes the tokens).
    token: bool = False


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, anonymous="login"):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], outcome)}


def owner_only(outcome, anonymous="login"):
    """The clinician owns the object; everybody else, staff included, gets 404."""
    return {"anonymous": anonymous, "clinician": outcome, "other_clinician": 404,
            "educator": 404, "administrator": 404}


def row_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{__name__}.{info.name}")
