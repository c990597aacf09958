"""The transcript: filters, totals per credit type, voided records, PDF and CSV, query count."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from credits.ledger.services import credit_record_create, credit_record_void
from credits.models import Certificate, CreditRecord
from credits.reports.exporters.writers import iter_delimited
from tests.factories import CourseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("same_minute")]


def _credit(user, *, amount="1.50", credit_type="ama_pra_1", completed_on="2026-06-01",
            title=None):
    course = CourseFactory(**({"title": title} if title else {}))
    return credit_record_create(user=user, course=course, credit_type=credit_type,
                                amount=Decimal(amount), completed_on=completed_on,
                                source=CreditRecord.Source.CLAIM, actor=user)


@pytest.fixture
def ledger(clinician, admin_user):
    _credit(clinician, amount="1.50", completed_on="2026-01-10", title="Sepsis update")
    _credit(clinician, amount="2.00", completed_on="2026-06-15", title="Opioid stewardship")
    _credit(clinician, amount="3.00", credit_type="abim_moc", completed_on="2026-06-20",
            title="MOC module")
    voided = _credit(clinician, amount="4.00", completed_on="2026-07-01", title="Mistaken claim")
    credit_record_void(record=voided, actor=admin_user, reason="Did not attend")
    return voided


def test_totals_per_type_leave_voided_records_out(client, clinician, ledger):
    client.force_login(clinician)
    response = client.get(reverse("ledger:transcript"))
    transcript = response.context["transcript"]
    assert [t.display for t in transcript.totals] == [
        "3.50 AMA PRA Category 1 Credits™", "3.00 ABIM MOC points"]
    content = response.content.decode()
    assert "Mistaken claim" not in content


def test_voided_records_show_struck_through_with_the_reason_when_asked(client, clinician,
                                                                      ledger):
    client.force_login(clinician)
    content = client.get(reverse("ledger:transcript"), {"voided": "on"}).content.decode()
    assert "<s>Mistaken claim</s>" in content and "Did not attend" in content
    assert "3.50 AMA PRA Category 1 Credits™" in content  # still not counted


def test_date_range_and_credit_type_filters(client, clinician, ledger):
    client.force_login(clinician)
    response = client.get(reverse("ledger:transcript"),
                          {"start": "2026-06-01", "end": "2026-06-30", "credit_type": "ama_pra_1"})
    transcript = response.context["transcript"]
    assert [r.activity_title for r in transcript.records] == ["Opioid stewardship"]
    assert [t.display for t in transcript.totals] == ["2.00 AMA PRA Category 1 Credits™"]


def test_start_after_end_is_explained(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("ledger:transcript"), {"start": "2026-07-01",
                                                          "end": "2026-06-01"})
    assert "after the" in response.content.decode()


def test_a_clinician_never_sees_another_clinicians_records(client, clinician, other_clinician,
                                                          ledger):
    client.force_login(other_clinician)
    response = client.get(reverse("ledger:transcript"))
    assert response.context["transcript"].records == []
    assert "Sepsis update" not in response.content.decode()
    csv_text = client.get(reverse("reports:transcript_csv")).content.decode()
    assert "Sepsis update" not in csv_text


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Sepsis", "Sepsis"),
    (None, ""), (Decimal("1.50"), "1.50"),
])
def test_csv_cells_that_would_start_a_formula_are_escaped(value, expected):
    written = b"".join(iter_delimited([["cell"], [value]])).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(written)))[1][0] == expected


def test_csv_download_has_a_row_per_record_and_escapes_titles(client, clinician):
    _credit(clinician, title="=cmd|' /C calc'!A0")
    client.force_login(clinician)
    response = client.get(reverse("reports:transcript_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Activity", "Provider", "Completed on"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][4:6] == ["AMA PRA Category 1 Credit™", "1.50"]


def test_pdf_download_names_the_learner_hospital_and_totals(client, clinician, ledger):
    clinician.degree, clinician.npi = "MD", "1234567893"
    clinician.save()
    client.force_login(clinician)
    response = client.get(reverse("ledger:transcript_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Teaching Hospital Center for CPD" in text
    assert "Priya Raman, MD" in text and "1234567893" in text
    assert "3.50 AMA PRA Category 1 Credits" in text
    assert "Opioid stewardship" in text and "Mistaken claim" not in text


def test_pdf_puts_a_fixed_number_of_rows_on_each_page(client, clinician):
    for day in range(40):
        _credit(clinician, completed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day))
    client.force_login(clinician)
    pages = PdfReader(io.BytesIO(client.get(reverse("ledger:transcript_pdf")).content)).pages
    assert len(pages) == 3  # 16 rows a page
    assert all("Transcript of continuing education credit" in p.extract_text() for p in pages)


def _ready_certificate(record) -> Certificate:
    return Certificate.objects.create(
        user=record.user, course=record.course, learner_name=record.user.display_name,
        activity_title=record.course.title, activity_dates="Held 1 June 2026",
        completion_date=record.completed_on, issue_date=record.completed_on,
        credits=[{"credit_type": record.credit_type, "amount": f"{record.amount:.2f}",
                  "wording": "AMA PRA Category 1 Credits™"}],
        status=Certificate.Status.READY, rendered_version=1)


@pytest.mark.parametrize("records", [1, 50])
def test_transcript_page_query_count_does_not_grow_with_records(
        client, clinician, records, django_assert_num_queries):
    for day in range(records):
        _ready_certificate(_credit(
            clinician, completed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day)))
    client.force_login(clinician)
    # session, user, groups, then rows, designations (AMA statement), totals, certificates
    with django_assert_num_queries(3 + 4):
        response = client.get(reverse("ledger:transcript"), {"voided": "on"})
    assert len(response.context["transcript"].records) == records
    assert response.text.count('class="verification-code"') == records
    with django_assert_num_queries(3):  # from the cache (credits.ledger.transcript.TRANSCRIPT)
        cached = client.get(reverse("ledger:transcript"), {"voided": "on"})
    assert cached.text.count('class="verification-code"') == records


@pytest.fixture
def certified(clinician):
    """One claimed activity with its ready certificate, and one still waiting for it."""
    with_certificate = _credit(clinician, title="Sepsis update", completed_on="2026-03-02")
    _credit(clinician, title="Opioid stewardship", completed_on="2026-02-01")
    return _ready_certificate(with_certificate)


def test_transcript_page_links_each_activity_to_its_certificate_and_code(
        client, clinician, certified):
    client.force_login(clinician)
    page = client.get(reverse("ledger:transcript")).text
    assert reverse("certificates:download", args=[certified.pk]) in page
    assert certified.code_display in page
    assert certified.verification_path in page
    assert page.count('class="verification-code"') == 1  # the other has no certificate yet


def test_transcript_csv_and_pdf_carry_the_verification_code_and_link(
        client, clinician, certified):
    client.force_login(clinician)
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("reports:transcript_csv")).content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Certificate code", "Certificate verification link"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Sepsis update"][-2:] == [certified.code_display,
                                              certified.verification_url]
    assert by_title["Opioid stewardship"][-2:] == ["", ""]
    pdf = client.get(reverse("ledger:transcript_pdf")).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert certified.code_display in text
    assert certified.verification_url in text.replace("\n", "")


def test_a_revoked_certificate_shows_no_code(client, clinician, certified):
    certified.status = Certificate.Status.REVOKED
    certified.save()
    client.force_login(clinician)
    assert certified.code_display not in client.get(reverse("ledger:transcript")).text


def test_a_pdf_too_long_to_render_in_a_request_asks_to_narrow_the_dates(client, clinician,
                                                                        monkeypatch):
    monkeypatch.setattr("credits.ledger.views.MAX_PDF_ROWS", 2)
    for day in range(3):
        _credit(clinician, completed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day))
    client.force_login(clinician)
    response = client.get(reverse("ledger:transcript_pdf"), {"credit_type": "ama_pra_1"},
                          follow=True)
    assert "The PDF holds up to 2 records" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?credit_type=ama_pra_1")
