"""Journey: a pharmacist claims ACPE credit, a real worker reports it to the local CPE Monitor
stand-in, and the transcript shows it accepted (on a phone-sized screen)."""
import pytest
from playwright.sync_api import expect

from credits.models import BoardReport
from tests.browser.conftest import screenshot
from tests.conftest import _test_database_url, start_celery_worker, stop_process, wait_for
from tests.credits.boards.cpe_monitor_server import API_KEY, PROVIDER_ID, CpeMonitorStandIn
from tests.credits.boards.world import EPROFILE, UAN, acpe_course, pharmacist
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_pharmacist_claim_is_reported_to_cpe_monitor_and_shows_accepted(page, tmp_path):
    from cpd_portal.celery import app

    ana = pharmacist()
    acpe_course(ana, title="Anticoagulation in practice", evaluation_required=False)
    with CpeMonitorStandIn(pharmacists={EPROFILE: "04-17"}, uans={UAN}) as stand_in:
        app.control.purge()
        worker = start_celery_worker(name="cpe-journey", log_path=tmp_path / "worker.log", env={
            "DATABASE_URL": _test_database_url(), "CPE_MONITOR_URL": stand_in.url,
            "CPE_MONITOR_PROVIDER_ID": PROVIDER_ID, "CPE_MONITOR_API_KEY": API_KEY,
            "EMAIL_URL": "memorymail://", "MEDIA_ROOT": str(tmp_path / "media")})
        try:
            page.goto("/accounts/login/")
            page.get_by_label("Email").fill("ana@hospital.example")
            page.get_by_label("Password:").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign In").click()
            expect(page.get_by_role("heading", name="My learning")).to_be_visible()
            page.get_by_role("link", name="Claim credit for Anticoagulation in practice").click()
            expect(page.get_by_label("ACPE contact hours")).to_have_value("1.00")
            page.get_by_role("button", name="Claim credit").click()
            expect(page.get_by_role("heading", name="Transcript")).to_be_visible()

            wait_for(lambda: BoardReport.objects.filter(status="accepted").exists(), timeout=60)
            page.reload()
            expect(page.locator(".record-note-done")).to_contain_text(
                "Reported to CPE Monitor on")
            screenshot(page, "cpe-monitor-transcript-accepted")
        finally:
            stop_process(worker)
    assert len(stand_in.requests) == 1
    assert stand_in.requests[0]["UAN"] == UAN
