"""The ACCME PARS learner file: columns, one record field by field, consent and validation."""
import csv
import datetime
import io

import pytest

from credits.reports.exporters import EXPORTERS
from credits.reports.exporters.pars_learners import PARS_LEARNER_COLUMNS
from tests.factories import CourseFactory, CreditRecordFactory, LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _tab_rows(identifier: str, filters: dict) -> list[list[str]]:
    exporter = EXPORTERS[identifier]
    out = io.BytesIO()
    fmt = exporter.formats[0]
    exporter.write(fmt, exporter.clean_filters(filters), out)
    text = out.getvalue().decode("utf-8-sig")
    if fmt == "txt":
        return [line.split("\t") for line in text.split("\r\n") if line]
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def course():
    return CourseFactory(title="Sepsis Grand Rounds")


def _physician(**overrides):
    fields = {"full_name": "Priya K. Raman", "profession": "physician", "npi": "1234567893",
              "birth_month": 4, "birth_day": 9, "certifying_board": "ABIM",
              "board_id": "234567", "consents_to_credit_reporting": True}
    return UserFactory(**{**fields, **overrides})


def test_pars_learner_file_is_tab_delimited_with_accmes_columns_in_order(course):
    rows = _tab_rows("pars_learners", {})
    assert rows == [list(PARS_LEARNER_COLUMNS)]
    assert PARS_LEARNER_COLUMNS[:8] == (
        "Record Action", "ACCME Activity ID", "Completion Date", "First Name", "Last Name",
        "Date of Birth", "Licensing State", "Licensing ID or NPI")


def test_one_record_is_written_field_by_field(course):
    priya = _physician()
    LicenceFactory(user=priya, state="MA", number="265432")
    CreditRecordFactory(user=priya, course=course, credit_type="ama_pra_1", amount="1.50",
                        completed_on=datetime.date(2026, 3, 2))
    CreditRecordFactory(user=priya, course=course, credit_type="abim_moc", amount="1.00",
                        completed_on=datetime.date(2026, 3, 3))
    header, record = _tab_rows("pars_learners", {"completed_from": "2026-01-01"})
    fields = dict(zip(header, record, strict=True))
    assert fields == {
        "Record Action": "Add",
        "ACCME Activity ID": str(course.pk),
        "Completion Date": "03/03/2026",
        "First Name": "Priya K.",
        "Last Name": "Raman",
        "Date of Birth": "04/09",
        "Licensing State": "MA",
        "Licensing ID or NPI": "265432",
        "Number of CME Credits": "1.50",
        "Certifying Board": "ABIM",
        "Certifying Board ID": "234567",
        "Total Board Credits": "1.00",
        "Credit Type": "",
        "Credits Awarded for Credit Type": "",
    }


def test_without_a_licence_the_npi_identifies_the_learner(course):
    priya = _physician()
    CreditRecordFactory(user=priya, course=course, amount="2.00")
    _, record = _tab_rows("pars_learners", {})
    assert record[6:9] == ["", "1234567893", "2.00"]
    assert record[9:12] == ["", "", ""]  # no MOC points: no board columns


def test_learners_who_did_not_consent_are_left_out(course):
    CreditRecordFactory(user=_physician(consents_to_credit_reporting=False), course=course)
    assert _tab_rows("pars_learners", {}) == [list(PARS_LEARNER_COLUMNS)]
    assert len(_tab_rows("pars_learner_validation", {})) == 1


def test_nurses_contact_hours_and_voided_credit_are_not_reported(course):
    nurse = _physician(profession="nurse", full_name="Marcus Lee")
    CreditRecordFactory(user=nurse, course=course, credit_type="ancc")
    assert len(_tab_rows("pars_learners", {})) == 1


def test_learners_missing_an_identifier_go_to_the_validation_report_not_the_file(course):
    complete = _physician(full_name="Ada Complete")
    no_birthday = _physician(full_name="Ben Nobirthday", birth_month=None, birth_day=None)
    no_id = _physician(full_name="Cy Noid", npi="")
    no_board = _physician(full_name="Di Noboard", board_id="")
    for learner in (complete, no_birthday, no_id):
        CreditRecordFactory(user=learner, course=course, credit_type="ama_pra_1")
    CreditRecordFactory(user=no_board, course=course, credit_type="abim_moc")

    upload = _tab_rows("pars_learners", {})
    assert [row[4] for row in upload[1:]] == ["Complete"]

    validation = _tab_rows("pars_learner_validation", {})
    assert validation[0] == ["Learner name", "Email", "ACCME Activity ID", "Activity",
                             "Completion Date", "Missing"]
    missing = {row[0]: row[5] for row in validation[1:]}
    assert missing == {
        "Ben Nobirthday": "birth month and day",
        "Cy Noid": "licensing state and licence number, or NPI",
        "Di Noboard": "certifying board and board ID (MOC points claimed)",
    }
    assert validation[1][3] == "Sepsis Grand Rounds"
