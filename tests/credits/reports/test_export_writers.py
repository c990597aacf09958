"""The shared writers: CSV, tab-delimited text and XLSX, each escaping formula injection."""
import csv
import io

import pytest
from openpyxl import load_workbook

from credits.reports.exporters.writers import (
    escape_formula,
    iter_delimited,
    write_delimited,
    write_xlsx,
)

HOSTILE = ["=HYPERLINK(\"http://evil.example\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Priya Raman", "1.50", "", "a=b", "O'Brien", None, 5])
def test_ordinary_values_are_left_alone(value):
    assert escape_formula(value) == value


def _parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_writer_escapes_every_hostile_cell_and_keeps_the_rest():
    rows = [("Name", "Note"), *[("Learner", value) for value in HOSTILE], ("Plain", "fine")]
    parsed = _parse_csv(b"".join(iter_delimited(rows)))
    assert parsed[0] == ["Name", "Note"]
    assert [row[1] for row in parsed[1:-1]] == ["'" + value for value in HOSTILE]
    assert parsed[-1] == ["Plain", "fine"]


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    data = b"".join(iter_delimited([("Credit",), ("1.50 AMA PRA Category 1 Credits™",)]))
    assert data.startswith("\ufeff".encode())
    assert "Credits™" in data.decode("utf-8-sig")


def test_csv_is_streamed_in_chunks_and_reports_rows_written():
    seen = []
    rows = [("n",), *[(str(i),) for i in range(1200)]]
    chunks = list(iter_delimited(rows, on_rows=seen.append))
    assert len(chunks) > 2
    assert seen[-1] == 1200
    assert seen == sorted(seen)


def test_tab_delimited_text_flattens_tabs_and_line_breaks_inside_values():
    out = io.BytesIO()
    write_delimited([("A", "B"), ("two\nlines", "x\ty"), ("=1+1", 'say "hi"')], out,
                    delimiter="\t")
    lines = out.getvalue().decode().split("\r\n")
    assert lines[0] == "A\tB"
    assert lines[1] == "two lines\tx y"
    assert lines[2] == "'=1+1\tsay \"hi\""


def test_xlsx_writer_escapes_and_keeps_header_bold(tmp_path):
    path = tmp_path / "report.xlsx"
    write_xlsx([("Name", "Amount"), ("=cmd|' /C calc'!A0", "1.50"), ("Sam", 2)], path,
               sheet_title="Credit report")
    sheet = load_workbook(path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [["Name", "Amount"], ["'=cmd|' /C calc'!A0", "1.50"], ["Sam", 2]]
    assert sheet["A1"].font.bold
    assert sheet.title == "Credit report"
