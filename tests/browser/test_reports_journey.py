"""Journey: the CME office administrator signs in with their authenticator, opens Reports,
downloads a credit report straight away, builds a large one in the background while watching
its progress, and finds both in the export history."""
import csv
import io

import pytest
from playwright.sync_api import expect

from credits.models import ExportRun
from tests.browser.conftest import screenshot, sign_in_staff
from tests.factories import CourseFactory, CreditRecordFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_administrator_exports_the_credit_report_and_sees_the_history(
        page, admin_user, settings, celery_worker_process):
    settings.MEDIA_ROOT = celery_worker_process["media_root"]
    settings.EXPORT_ASYNC_THRESHOLD_ROWS = 6
    course = CourseFactory(title="Sepsis Grand Rounds")
    for name in ("Priya Raman", "Sam Ortiz", "Lena Park"):
        CreditRecordFactory(course=course, user=UserFactory(full_name=name, profession="physician"))
    for i in range(5):
        CreditRecordFactory(course=course, user=UserFactory(full_name=f"Nurse {i}",
                                                            profession="nurse", degree="RN"))

    sign_in_staff(page, admin_user)

    page.goto("/reports/")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    screenshot(page, "reports-index")
    page.get_by_role("link", name="Credit report").click()
    expect(page.get_by_role("heading", name="Credit report")).to_be_visible()
    page.get_by_label("Profession").select_option("physician")
    page.get_by_label("CSV (comma-separated)").check()
    screenshot(page, "reports-credit-report-form")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export").click()
    download = download_info.value
    assert download.suggested_filename == "credit-report.csv"
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["Lena Park", "Priya Raman", "Sam Ortiz"]

    # All eight records cross the (lowered) threshold: a worker builds the file.
    page.get_by_label("Profession").select_option("")
    page.get_by_label("Excel workbook (XLSX)").check()
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("heading", name="Credit report")).to_be_visible()
    screenshot(page, "reports-export-progress")
    download_link = page.get_by_role("link", name="Download XLSX")
    expect(download_link).to_be_visible(timeout=60_000)
    expect(page.get_by_text("8 rows")).to_be_visible()
    screenshot(page, "reports-export-done")
    with page.expect_download() as download_info:
        download_link.click()
    assert download_info.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Export history").click()
    expect(page.get_by_role("heading", name="Export history")).to_be_visible()
    expect(page.get_by_text("Profession: Physician")).to_be_visible()
    expect(page.get_by_text("Status: Active credit only").first).to_be_visible()
    screenshot(page, "reports-history")
    assert list(ExportRun.objects.values_list("delivery", "status").order_by("pk")) == [
        ("streamed", "done"), ("background", "done")]
