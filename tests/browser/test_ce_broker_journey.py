"""Journey: a nurse claims ANCC contact hours, which the office reports to CE Broker; a real
worker posts the course, its live date's publishing, validates her licence and posts her roster
line to the local CE Broker stand-in (each step queued by the one before), her transcript says
so on a phone, and the CME office's page shows another nurse's refused licence on a desktop."""
import pytest
from playwright.sync_api import expect

from courses.credittypes.models import CreditType
from credits.webservices.models import Submission
from tests.browser.conftest import screenshot, sign_in_staff
from tests.conftest import _test_database_url, start_celery_worker, stop_process, wait_for
from tests.credits.boards.ce_broker_server import PROVIDER_ID, UPLOAD_KEY, CeBrokerStandIn
from tests.credits.claim_world import attended_course
from tests.factories import TEST_PASSWORD, CourseFactory, LicenceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LICENCE = "RN9876543"


def test_nurse_claim_reaches_ce_broker_and_the_office_sees_a_refused_licence(
        page, admin_user, settings, tmp_path):
    from cpd_portal.celery import app

    CreditType.objects.filter(code="ancc").update(reported_to="ce_broker")
    maria = UserFactory(full_name="Maria Alvarez", email="maria@hospital.example",
                        profession="nurse", degree="RN")
    LicenceFactory(user=maria, state="FL", profession="nurse", number=LICENCE)
    attended_course(maria, designations=(("ancc", "1.50"),), title="Sepsis recognition on the ward",
                    target_professions=["nurse"], evaluation_required=False)
    Submission.objects.create(
        service="ce_broker", kind="ceb_roster", course=CourseFactory(title="Falls prevention"),
        user=UserFactory(full_name="Grace Lee", profession="nurse"), status="rejected",
        fix_by="learner", response_code="LICENSE_NOT_FOUND", due_on=maria.date_joined.date(),
        message="License 12345 not found for profession RN in FL.")
    with CeBrokerStandIn(licensees={(LICENCE, "RN", "FL")}) as stand_in:
        for name, value in {"URL": stand_in.url, "PROVIDER_ID": PROVIDER_ID,
                            "UPLOAD_KEY": UPLOAD_KEY}.items():
            setattr(settings, f"CE_BROKER_{name}", value)
        app.control.purge()
        worker = start_celery_worker(name="ce-broker-journey", log_path=tmp_path / "worker.log",
                                     env={"DATABASE_URL": _test_database_url(),
                                          "CE_BROKER_URL": stand_in.url,
                                          "CE_BROKER_PROVIDER_ID": PROVIDER_ID,
                                          "CE_BROKER_UPLOAD_KEY": UPLOAD_KEY,
                                          "EMAIL_URL": "memorymail://",
                                          "MEDIA_ROOT": str(tmp_path / "media")})
        try:
            page.goto("/accounts/login/")
            page.get_by_label("Email").fill(maria.email)
            page.get_by_label("Password:").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign In").click()
            page.get_by_role("link", name="Claim credit for Sepsis recognition on the ward").click()
            page.get_by_role("button", name="Claim credit").click()
            expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
            wait_for(lambda: Submission.objects.filter(kind="ceb_roster", user=maria,
                                                       status="accepted").exists(), timeout=60)
            page.reload()
            expect(page.locator(".record-note-done")).to_contain_text("Reported to CE Broker on")
            screenshot(page, "ce-broker-transcript-reported")
        finally:
            stop_process(worker)
    assert len(stand_in.roster) == 1 and stand_in.roster[0]["license"] == LICENCE
    assert [path for _, path, _ in stand_in.requests] == [
        "/UploadXMLString", "/UploadXMLString", "/ValidateLicense", "/UploadXMLString"]

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page, admin_user)
    page.goto("/board-reporting/web-services/")
    expect(page.get_by_role("heading", name="ACCME PARS and CE Broker reporting")).to_be_visible()
    expect(page.get_by_text("License 12345 not found for profession RN in FL.")).to_be_visible()
    screenshot(page, "web-services-office-page")
