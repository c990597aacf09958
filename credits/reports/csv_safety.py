"""CSV cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection)."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_cell(value) -> str:
    """The cell as text, prefixed with an apostrophe when it would start a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
