"""Rows of the authorization matrix, one module per area of the portal.

Each module defines ROWS (URL route -> Row) and may define `objects(world) -> dict` to add the
objects its URLs name (a course, a certificate, ...) to the shared `world`.
"""
import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

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


def matrix() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for module in row_modules():
        overlap = rows.keys() & module.ROWS.keys()
        assert not overlap, f"{module.__name__} repeats rows: {overlap}"
        rows.update(module.ROWS)
    return rows


@functools.cache
def url_patterns() -> dict[str, URLPattern]:
    """Every URL pattern of the project by its route, spelled as the rows spell it."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    return dict(walk(get_resolver().url_patterns))


def app_routes() -> list[str]:
    """Every route but Django admin's (checked by its own rule)."""
    return sorted(route for route in url_patterns() if not route.startswith("admin/"))


def world_objects_add(world: dict) -> dict:
    """Add to `world` (the people of ROLES, None for anonymous) what every area's URLs name."""
    for module in row_modules():
        if hasattr(module, "objects"):
            added = module.objects(world)
            clash = world.keys() & added.keys()
            assert not clash, f"{module.__name__} reuses world keys {clash}; name them per area"
            world.update(added)
    return world


def url_for(route: str, row: Row, world) -> str:
    pattern = url_patterns()[route]
    kwargs = row.kwargs(world) if row.kwargs else {}
    resolver_prefix = route[: len(route) - len(str(pattern.pattern))]
    if pattern.name:
        reversed_urls = []
        for candidate in _names_for(pattern):
            try:
                reversed_urls.append(reverse(candidate, kwargs=kwargs))
            except Exception:  # noqa: S112  (try the next namespace)
                continue
        # Two apps may give their URLs the same name: take the one this route resolves (a
        # regular-expression route spells its route otherwise, hence the first as a fallback).
        for url in reversed_urls:
            if resolve(urlparse(url).path).route == route:
                return url
        if reversed_urls:
            return reversed_urls[0]
    return "/" + resolver_prefix + str(pattern.pattern)


def _names_for(pattern):
    yield pattern.name
    for namespace in get_resolver().namespace_dict:
        yield f"{namespace}:{pattern.name}"


def outcome(response) -> Any:
    """The status code, or where a redirect goes: "login", "mfa" or any other "redirect"."""
    if response.status_code in (301, 302):
        target = urlparse(response.url).path
        if target.startswith(reverse("account_login")):
            return "login"
        if target.startswith(reverse("mfa_activate_totp")):
            return "mfa"
        return "redirect"
    return response.status_code


def roles_for(row: Row) -> tuple[str, ...]:
    return (*ROLES, "service") if row.token else ROLES


def outcome_as(client, world, role: str, route: str, row: Row) -> Any:
    """What `role` gets from the route: signed in with a session, or sending its access token
    on API rows (anonymous: neither)."""
    client.logout()
    if not row.token and world[role] is not None:
        client.force_login(world[role])
    return answer(client, world, role, route, row)


def answer(client, world, role: str, route: str, row: Row, *, method: str = "") -> Any:
    """What the route answers the client (signed in as `role` on pages, by the caller; on API
    rows it sends the role's token), by the row's method unless `method` names another."""
    secret = world["api_tokens"].get(role) if row.token else None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    response = getattr(client, method or row.method)(url_for(route, row, world), **headers)
    return outcome(response)
