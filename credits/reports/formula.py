"""The one formula escaper (OWASP "CSV injection") behind every CSV, XLSX and COPY export.

A spreadsheet treats a cell that begins with = + - @ (or a tab or carriage return that hides
one) as a formula, so such text gets a leading apostrophe, which spreadsheets show as plain
text. The rule is written here once, in the three forms the writers need: a value, whole rows
(the hot loop of a million-row report) and SQL (the PostgreSQL COPY path of the credit report).
"""
from collections.abc import Iterable, Iterator, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Return `value` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def escaped_rows(rows: Iterable[Sequence]) -> Iterator[list]:
    """escape_formula on every cell, inlined: this loop runs for every cell of a report."""
    for row in rows:
        yield [("'" + cell) if cell.__class__ is str and cell.startswith(FORMULA_TRIGGERS)
               else cell for cell in row]


def escape_formula_sql(expression: str) -> str:
    """escape_formula as a SQL expression over a text column, empty text becoming NULL (an
    empty CSV cell, as the Python writers write it)."""
    triggers = ", ".join(
        "E'" + trigger.replace("\t", "\\t").replace("\r", "\\r") + "'"
        for trigger in FORMULA_TRIGGERS)
    return (f"NULLIF(CASE WHEN left({expression}, 1) IN ({triggers}) "
            f"THEN '''' || {expression} ELSE {expression} END, '')")
