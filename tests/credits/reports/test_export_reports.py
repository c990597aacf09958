"""Each report's output, written by the real writers and parsed back."""
import csv
import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.choices import profession_choices
from credits.models import CreditRecord
from credits.reports.exporters import EXPORTERS
from credits.reports.exporters.credit_report import HEADER as CREDIT_REPORT_HEADER
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditDesignationFactory,
    CreditRecordFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _csv(identifier: str, filters: dict) -> list[list[str]]:
    exporter = EXPORTERS[identifier]
    cleaned = exporter.clean_filters(filters)
    out = io.BytesIO()
    exporter.write("csv", cleaned, out)
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def ledger():
    """Two activities in 2026: a live course over two days and an enduring module."""
    grand_rounds = CourseFactory(title="Sepsis Grand Rounds", format="live",
                                 commercial_support=True,
                                 commercial_supporters="Acme Devices; Beta Pharma",
                                 joint_provider="State Medical Society")
    SessionFactory(course=grand_rounds, location="Auditorium B",
                   starts_at=datetime.datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
                   ends_at=datetime.datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    SessionFactory(course=grand_rounds, location="Auditorium B",
                   starts_at=datetime.datetime(2026, 3, 3, 13, 0, tzinfo=UTC),
                   ends_at=datetime.datetime(2026, 3, 3, 14, 30, tzinfo=UTC))
    SessionFactory(course=grand_rounds, is_cancelled=True,
                   starts_at=datetime.datetime(2026, 5, 1, 13, 0, tzinfo=UTC),
                   ends_at=datetime.datetime(2026, 5, 1, 14, 0, tzinfo=UTC))
    CreditDesignationFactory(course=grand_rounds, credit_type="ama_pra_1", max_credits="3.50")
    CreditDesignationFactory(course=grand_rounds, credit_type="ancc", max_credits="3.50")
    module = CourseFactory(title="Opioid Prescribing Module", format="enduring")
    CreditDesignationFactory(course=module, credit_type="ama_pra_1", max_credits="2.00")

    priya = UserFactory(full_name="Priya Raman", email="priya@hospital.example", degree="MD",
                        profession="physician", npi="1234567893", board_id="123456",
                        certifying_board="ABIM")
    marcus = UserFactory(full_name="Marcus Lee", email="marcus@hospital.example", degree="RN",
                         profession="nurse")
    hostile = UserFactory(full_name="=HYPERLINK(\"x\")", email="h@hospital.example",
                          profession="physician")
    for user in (priya, marcus):
        EnrolmentFactory(user=user, course=grand_rounds)
        for session in grand_rounds.sessions.filter(is_cancelled=False):
            AttendanceFactory(session=session, user=user)
    CreditRecordFactory(user=priya, course=grand_rounds, credit_type="ama_pra_1", amount="3.50",
                        completed_on=datetime.date(2026, 3, 3))
    CreditRecordFactory(user=marcus, course=grand_rounds, credit_type="ancc", amount="3.50",
                        completed_on=datetime.date(2026, 3, 3))
    CreditRecordFactory(user=priya, course=module, credit_type="ama_pra_1", amount="2.00",
                        completed_on=datetime.date(2026, 6, 10))
    CreditRecordFactory(user=hostile, course=module, credit_type="ama_pra_1", amount="1.00",
                        completed_on=datetime.date(2026, 6, 11))
    CreditRecordFactory(user=marcus, course=module, credit_type="participation", amount="1.00",
                        completed_on=datetime.date(2025, 12, 30))
    voided = CreditRecordFactory(user=marcus, course=module, credit_type="ipce", amount="1.00",
                                 completed_on=datetime.date(2026, 6, 12))
    CreditRecord.objects.filter(pk=voided.pk).update(
        status="voided", void_reason="Claimed twice", voided_at=datetime.datetime.now(UTC))
    return {"grand_rounds": grand_rounds, "module": module, "priya": priya, "marcus": marcus}


def test_credit_report_lists_active_records_with_every_column(ledger):
    rows = _csv("credit_report", {"completed_from": "2026-01-01", "completed_to": "2026-12-31"})
    assert tuple(rows[0]) == CREDIT_REPORT_HEADER
    assert len(rows) == 1 + 4  # the 2025 record is outside the range, the voided one excluded
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first == {
        "Learner name": "Priya Raman", "Email": "priya@hospital.example",
        "Profession": "Physician", "Degree": "MD", "NPI": "1234567893", "Board ID": "123456",
        "Activity": "Sepsis Grand Rounds", "Session dates": "2026-03-02 to 2026-03-03",
        "Credit type": "AMA PRA Category 1 Credit™", "Amount": "3.50",
        "Completion date": "2026-03-03", "Certificate code": "",
    }
    assert [row[6] for row in rows[1:]] == ["Sepsis Grand Rounds", "Sepsis Grand Rounds",
                                            "Opioid Prescribing Module",
                                            "Opioid Prescribing Module"]
    assert rows[3][7] == ""  # enduring material has no sessions


def test_credit_report_filters_by_profession_credit_type_course_and_status(ledger):
    assert [row[0] for row in _csv("credit_report", {"profession": "nurse"})[1:]] == [
        "Marcus Lee", "Marcus Lee"]
    assert len(_csv("credit_report", {"credit_type": "ancc"})) == 2
    assert len(_csv("credit_report", {"course": ledger["module"].pk})) == 1 + 3
    voided = _csv("credit_report", {"status": "voided"})
    assert [(row[0], row[8]) for row in voided[1:]] == [("Marcus Lee", "IPCE credit™")]
    assert len(_csv("credit_report", {"status": "all"})) == 1 + 6


def test_credit_report_escapes_a_learner_name_that_is_a_formula(ledger):
    names = [row[0] for row in _csv("credit_report", {})[1:]]
    assert "'=HYPERLINK(\"x\")" in names


def test_credit_report_rejects_a_backwards_date_range():
    form = EXPORTERS["credit_report"].bind_form(
        {"completed_from": "2026-12-31", "completed_to": "2026-01-01"})
    assert not form.is_valid()
    assert "The start date is after the end date" in form.non_field_errors()[0]


def test_credit_report_rows_take_the_same_queries_at_any_size(ledger,
                                                              django_assert_num_queries):
    exporter = EXPORTERS["credit_report"]
    profession_choices()  # looked up once per process and kept: not the report's cost
    # session dates, planner setting, the server-side cursor, planner reset
    with django_assert_num_queries(4):
        assert len(list(exporter.rows({}))) == 1 + 5
    for _ in range(20):
        CreditRecordFactory(course=ledger["grand_rounds"], user=UserFactory())
    with django_assert_num_queries(4):
        assert len(list(exporter.rows({}))) == 1 + 25


@pytest.mark.parametrize("filters", [{}, {"status": "all"}, {"profession": "nurse"},
                                     {"completed_from": "2026-06-01"}])
def test_credit_report_copy_path_writes_the_same_csv_as_the_cursor_path(ledger, filters):
    exporter = EXPORTERS["credit_report"]
    cleaned = exporter.clean_filters(filters)
    streamed = b"".join(exporter.iter_bytes("csv", cleaned))
    copied = io.BytesIO()
    counted = []
    exporter.write("csv", cleaned, copied, on_rows=counted.append)
    assert copied.getvalue().startswith("\ufeff".encode())

    def parse(data):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    assert parse(copied.getvalue()) == parse(streamed)
    assert counted[-1] == len(parse(streamed)) - 1


def test_credit_report_as_xlsx_has_the_same_rows(ledger, tmp_path):
    exporter = EXPORTERS["credit_report"]
    path = tmp_path / "credit.xlsx"
    with open(path, "wb") as out:
        exporter.write("xlsx", exporter.clean_filters({}), out)
    sheet = load_workbook(path).active
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert values == _csv("credit_report", {})


def test_pars_activity_csv_describes_each_activity_of_the_year(ledger):
    rows = _csv("pars_activities", {"year": "2026"})
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"Sepsis Grand Rounds", "Opioid Prescribing Module"}
    live = by_title["Sepsis Grand Rounds"]
    assert live["Activity type"] == "Course"
    assert (live["Start date"], live["End date"]) == ("2026-03-02", "2026-03-03")
    assert live["Location"] == "Auditorium B"
    assert live["AMA PRA Category 1 Credits designated"] == "3.50"
    assert (live["Physician learners"], live["Other learners"]) == ("1", "1")
    assert live["Commercial support"] == "Yes"
    assert live["Commercial supporters"] == "Acme Devices; Beta Pharma"
    assert (live["Providership"], live["Joint provider"]) == ("Joint", "State Medical Society")
    enduring = by_title["Opioid Prescribing Module"]
    assert enduring["Activity type"] == "Internet Enduring Material"
    assert enduring["Location"] == "Online"
    # Priya and the hostile physician completed it in 2026; Marcus's was in 2025 or voided.
    assert (enduring["Physician learners"], enduring["Other learners"]) == ("2", "0")
    assert (enduring["Commercial support"], enduring["Providership"]) == ("No", "Direct")


def test_pars_activity_xml_carries_the_same_facts(ledger):
    exporter = EXPORTERS["pars_activities"]
    out = io.BytesIO()
    exporter.write("xml", exporter.clean_filters({"year": "2026"}), out)
    root = ET.fromstring(out.getvalue())
    assert root.tag == "ActivityReport" and root.get("reportingYear") == "2026"
    activity = next(a for a in root.iter("Activity")
                    if a.findtext("ActivityTitle") == "Sepsis Grand Rounds")
    assert activity.get("id") == str(ledger["grand_rounds"].pk)
    assert activity.findtext("StartDate") == "2026-03-02"
    assert activity.findtext("Credits") == "3.50"
    assert activity.find("Credits").get("type") == "AMA PRA Category 1 Credit"
    assert activity.findtext("Participants/Physicians") == "1"
    assert activity.findtext("Participants/OtherLearners") == "1"
    support = activity.find("CommercialSupport")
    assert support.get("received") == "true"
    assert [s.text for s in support.findall("Source")] == ["Acme Devices", "Beta Pharma"]
    assert activity.find("Providership").get("type") == "Joint"
    assert activity.findtext("Providership/JointProvider") == "State Medical Society"


def test_annual_summary_totals_activities_hours_learners_and_credit(ledger):
    rows = _csv("annual_summary", {"year": "2026"})
    header = rows[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    live = table["Live activity"]
    assert live["Activities"] == "1"
    assert live["Hours of instruction"] == "3.50"  # 2 h + 1.5 h; the cancelled one not counted
    assert (live["Physician learners"], live["Other learners"]) == ("1", "1")
    assert live["AMA PRA Category 1 Credit™ awarded"] == "3.50"
    assert live["ANCC contact hours awarded"] == "3.50"
    enduring = table["Online / enduring material"]
    assert enduring["Hours of instruction"] == "2.00"  # its designated credit
    assert enduring["AMA PRA Category 1 Credit™ awarded"] == "3.00"
    assert enduring["IPCE credit™ awarded"] == "0.00"  # voided
    total = table["Total"]
    assert total["Activities"] == "2"
    assert total["AMA PRA Category 1 Credit™ awarded"] == "6.50"
    assert table["Regularly scheduled series"]["Activities"] == "0"


def test_course_roster_shows_enrolment_attendance_and_claims(ledger):
    walk_in = UserFactory(full_name="Zoe Walker", profession="pharmacist", degree="PharmD")
    AttendanceFactory(session=ledger["grand_rounds"].sessions.first(), user=walk_in)
    rows = _csv("course_roster", {"course": ledger["grand_rounds"].pk})
    table = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(table) == ["Marcus Lee", "Priya Raman", "Zoe Walker"]
    assert table["Priya Raman"]["Enrolment"] == "Enrolled"
    assert table["Priya Raman"]["Sessions attended"] == "2 of 2"
    assert table["Priya Raman"]["Credit claimed"] == "3.50 AMA PRA Category 1 Credits™"
    assert table["Priya Raman"]["Claimed on"] == "2026-03-03"
    assert table["Marcus Lee"]["Credit claimed"] == "3.50 ANCC contact hours"
    assert table["Zoe Walker"]["Enrolment"] == "Walk-in"
    assert table["Zoe Walker"]["Sessions attended"] == "1 of 2"
    assert table["Zoe Walker"]["Credit claimed"] == ""


def test_course_roster_takes_five_queries_whatever_the_size(ledger, django_assert_num_queries):
    exporter = EXPORTERS["course_roster"]
    filters = exporter.clean_filters({"course": ledger["grand_rounds"].pk})
    profession_choices()  # looked up once per process and kept: not the roster's cost
    with django_assert_num_queries(5):
        small = list(exporter.rows(filters))
    for _ in range(10):
        learner = UserFactory()
        EnrolmentFactory(user=learner, course=ledger["grand_rounds"])
        CreditRecordFactory(user=learner, course=ledger["grand_rounds"], amount=Decimal("1.00"))
    with django_assert_num_queries(5):
        large = list(exporter.rows(filters))
    assert len(large) == len(small) + 10
