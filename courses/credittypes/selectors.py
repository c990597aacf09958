"""Reads of the credit types: one catalog per process, reloaded when the table changes.

Every page that prints an amount asks for the catalog, so it is held in the process and checked
against the table's version in the pages cache (one cache round trip, no query; the cache
layer's rule: any write to the table, by any path, gives it a new version). When the pages
cache is unreachable the catalog is read from the database each time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from courses.credittypes.models import CreditType, Profession
from cpd_portal.caching.invalidation import versions_read

_memo: dict[str, object] = {}
# What the catalog reads: a cached part that prints a type's wording declares them all (who may
# claim a type lives in the relation's own table), and a change to any reloads the catalog.
CATALOG_MODELS = (CreditType, CreditType.eligible_professions.through, Profession)
_CATALOG_TABLES = {model._meta.db_table for model in CATALOG_MODELS}
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class CreditTypeInfo:
    """What the pages need of a credit type (a plain value, safe to keep in the process)."""

    code: str
    name: str
    unit_singular: str
    unit_plural: str
    accreditor: str
    statement: str
    open_to_whole_team: bool
    eligible_professions: frozenset[str]
    step: Decimal
    max_per_hour: Decimal | None
    formats: frozenset[str]
    identifier_label: str
    reported_to: str
    position: int
    is_active: bool

    def units(self, amount: Decimal) -> str:
        return self.unit_singular if Decimal(amount) == 1 else self.unit_plural

    def amount_display(self, amount: Decimal, *, localized: bool = True) -> str:
        """'1.50 AMA PRA Category 1 Credits™' — amounts always with their type, the number in
        the reader's language ('1,50' in Spanish) unless `localized` is off."""
        number = (number_format(Decimal(amount), decimal_pos=2) if localized
                  else f"{Decimal(amount):.2f}")
        return f"{number} {self.units(amount)}"

    def claimable_by(self, profession: str) -> bool:
        return self.open_to_whole_team or profession in self.eligible_professions

    def allows_format(self, course_format: str) -> bool:
        return not self.formats or course_format in self.formats

    def statement_for(self, *, provider: str, course_format: str, maximum: Decimal) -> str:
        """The accreditor's statement with the provider, the amount and the format filled in."""
        learning_format = "enduring material" if course_format == "enduring" else "live activity"
        return self.statement.format(provider=provider, learning_format=learning_format,
                                     maximum=self.amount_display(maximum, localized=False))


def _unknown(code: str) -> CreditTypeInfo:
    # Credit of a type the office has since deleted still prints, with its stored code.
    return CreditTypeInfo(code=code, name=code, unit_singular=code, unit_plural=code,
                          accreditor="", statement="", open_to_whole_team=False,
                          eligible_professions=frozenset(), step=Decimal("0.25"),
                          max_per_hour=None, formats=frozenset(), identifier_label="",
                          reported_to=CreditType.ReportedTo.NONE, position=999,
                          is_active=False)


class CreditTypeCatalog(dict):
    """Code -> CreditTypeInfo, in the office's order; an unknown code gets a plain stand-in."""

    def __missing__(self, code: str) -> CreditTypeInfo:
        return _unknown(code)

    @property
    def designable(self) -> list[CreditTypeInfo]:
        return [info for info in self.values() if info.is_active]

    def choices(self, *, designable_only: bool = False) -> list[tuple[str, str]]:
        return [(info.code, info.name) for info in self.values()
                if info.is_active or not designable_only]

    def reported_to(self, service: str) -> list[str]:
        return [info.code for info in self.values() if info.reported_to == service]


def _catalog_load() -> CreditTypeCatalog:
    return CreditTypeCatalog(
        (row.code, CreditTypeInfo(
            code=row.code, name=row.name, unit_singular=row.unit_singular,
            unit_plural=row.unit_plural, accreditor=row.accreditor, statement=row.statement,
            open_to_whole_team=row.open_to_whole_team,
            eligible_professions=frozenset(
                profession.code for profession in row.eligible_professions.all()),
            step=row.step,
            max_per_hour=row.max_per_hour, formats=frozenset(row.formats or ()),
            identifier_label=row.identifier_label, reported_to=row.reported_to,
            position=row.position, is_active=row.is_active))
        for row in CreditType.objects.order_by("position", "name")
        .prefetch_related("eligible_professions"))


def _memoised(name: str, load):
    """`load()`'s value, kept in the process until one of the catalog's tables changes."""
    version = versions_read(_CATALOG_TABLES)
    if version is None:
        return load()
    with _memo_lock:
        if _memo.get(name, (None, None))[0] == version:
            return _memo[name][1]
    value = load()
    with _memo_lock:
        _memo[name] = (version, value)
    return value


def credit_type_catalog() -> CreditTypeCatalog:
    """Every credit type, designable or not, by code."""
    return _memoised("catalog", _catalog_load)


def profession_choices() -> list[tuple[str, str]]:
    """The office's professions as (code, name), in its order: what a profile or licence may
    state (registered with accounts in the app's ready). A seeded name is shown in the reader's
    language (the built-in list's translations); a name the office typed, as typed."""
    rows = _memoised("professions", lambda: list(
        Profession.objects.order_by("position", "name").values_list("code", "name")))
    return [(code, gettext(name)) for code, name in rows]


def credit_type_info(code: str) -> CreditTypeInfo:
    return credit_type_catalog()[code]
