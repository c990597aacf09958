"""The embedded default (SQLite, what `make run` uses on a bare laptop) and PostgreSQL give the
same credit report: amounts with two decimals, certificate codes printed as on the certificate."""
import json

import pytest

from tests.conftest import module_run_on_sqlite
from tests.credits.reports.credit_report_world import (
    credit_report_ledger_create,
    credit_report_rows,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _rows_on_sqlite(tmp_path) -> list[list[str]]:
    return json.loads(module_run_on_sqlite("tests.credits.reports.credit_report_world",
                                           tmp_path))


def test_credit_report_rows_are_the_same_on_sqlite_and_postgresql(tmp_path):
    credit_report_ledger_create()
    on_postgresql = credit_report_rows()

    assert on_postgresql == _rows_on_sqlite(tmp_path)
    amounts = sorted(row[9] for row in on_postgresql[1:])
    assert amounts == ["0.25", "1.00", "1.00", "1.50", "12.50"]
    codes = {row[11] for row in on_postgresql[1:]}
    assert codes == {"7K3M-Q9TZ-2BXW-4HNP", ""}
