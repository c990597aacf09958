"""Writers shared by every exporter: streaming CSV, tab-delimited text and XLSX.

Every writer escapes cells against formula injection with credits.reports.formula.
"""
import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO

from django.utils.functional import Promise

from credits.reports.formula import escaped_rows

ROWS_PER_CHUNK = 500


class _Buffer:
    """A file-like object the csv module writes into; the caller drains it in chunks."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def drain(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def iter_delimited(rows: Iterable[Sequence], *, delimiter: str = ",",
                   on_rows: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """Encode rows as CSV (or tab-delimited text) in UTF-8 chunks, for streaming or a file.

    `on_rows(n)` is told how many data rows (header excluded) have been written so far, once
    per chunk and once at the end.
    """
    buffer = _Buffer()
    if delimiter == "\t":
        # ACCME's tab-delimited uploads have no quoting; tabs and line breaks inside a value
        # would shift columns, so they become spaces.
        writer = csv.writer(buffer, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None,
                            lineterminator="\r\n")
        rows = ([_flatten_whitespace(cell) for cell in row] for row in rows)
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
        # A byte-order mark makes Excel open UTF-8 files (accented names, ™) correctly.
        yield "\ufeff".encode()
    written = -1  # the header is not a data row
    pending = 0
    for row in escaped_rows(rows):
        writer.writerow(row)
        written += 1
        pending += 1
        if pending >= ROWS_PER_CHUNK:
            yield buffer.drain().encode()
            pending = 0
            if on_rows is not None:
                on_rows(max(written, 0))
    yield buffer.drain().encode()
    if on_rows is not None:
        on_rows(max(written, 0))


def _flatten_whitespace(cell):
    if isinstance(cell, str):
        return cell.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return "" if cell is None else cell


def write_delimited(rows: Iterable[Sequence], out: IO[bytes], *, delimiter: str = ",",
                    on_rows: Callable[[int], None] | None = None) -> None:
    for chunk in iter_delimited(rows, delimiter=delimiter, on_rows=on_rows):
        out.write(chunk)


def write_xlsx(rows: Iterable[Sequence], out: IO[bytes] | str, *, sheet_title: str = "Report",
               on_rows: Callable[[int], None] | None = None) -> None:
    """Write rows to an XLSX workbook in openpyxl's write-only mode (constant memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    iterator = iter(escaped_rows(rows))
    header = next(iterator, None)
    if header is not None:
        bold = Font(bold=True)
        cells = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=str(value) if isinstance(value, Promise) else value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        sheet.freeze_panes = "A2"
    written = 0
    for row in iterator:
        # openpyxl takes plain values only: a lazily translated label (a model choice) as text.
        sheet.append([str(cell) if isinstance(cell, Promise) else cell for cell in row])
        written += 1
        if on_rows is not None and written % ROWS_PER_CHUNK == 0:
            on_rows(written)
    workbook.save(out)
    if on_rows is not None:
        on_rows(written)
