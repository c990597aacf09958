"""Journey: a clinician's claimed credit becomes a certificate they are emailed about, find in
My learning, download as a PDF, and that anyone can verify by typing its code."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from credits.models import Certificate
from tests.browser.conftest import screenshot
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """The render task runs where the claim commits; the live server reads the same storage."""
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_clinician_downloads_the_certificate_and_a_board_verifies_it(page, clinician, browser,
                                                                    live_server):
    course = make_course(title="Grand Rounds: Sepsis Recognition")
    claim_credit(clinician, course)  # the claim service's ledger write and its signal
    certificate = Certificate.objects.get(user=clinician)
    assert certificate.status == Certificate.Status.READY

    link = re.search(r"https?://\S+/certificates/\d+/download/", mail.outbox[-1].body).group(0)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    certificates = page.get_by_role("region", name="Certificates")
    expect(certificates.get_by_text("Grand Rounds: Sepsis Recognition").first).to_be_visible()
    screenshot(page, "certificate-my-learning")

    with page.expect_download() as download_info:
        certificates.get_by_role("link", name=re.compile("Download PDF")).click()
    download = download_info.value
    assert link.endswith(f"/certificates/{certificate.pk}/download/")
    text = PdfReader(download.path()).pages[0].extract_text()
    assert "Priya Raman, MD" in text and "Grand Rounds: Sepsis Recognition" in text
    assert "AMA PRA Category 1 Credits™" in text

    board = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    board_page = board.new_page()
    board_page.goto("/certificates/verify/")
    board_page.get_by_label("Verification code").fill(certificate.code_display.lower())
    board_page.get_by_role("button", name="Verify").click()
    expect(board_page.get_by_text("This certificate was issued by")).to_be_visible()
    expect(board_page.get_by_text("Priya Raman, MD")).to_be_visible()
    expect(board_page.get_by_text("1.50 AMA PRA Category 1 Credits™")).to_be_visible()
    screenshot(board_page, "certificate-verified")
    browser.expect_failure("/certificates/verify/AAAABBBBCCCCDDDD/", 404)
    board_page.goto("/certificates/verify/AAAABBBBCCCCDDDD/")
    expect(board_page.get_by_role("heading", name="No certificate has this code")).to_be_visible()
    board.close()
