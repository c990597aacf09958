"""Journey: a Massachusetts physician sees their licence requirement progress on My learning,
and sees it move when a credit record is added."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.credits.requirements.test_requirements_progress import EXPIRES, course_with, record
from tests.factories import LicenceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_sees_requirement_progress_move_when_a_record_is_added(page):
    clinician = UserFactory(full_name="Priya Raman", email="priya@hospital.example",
                            npi="1234567893")
    LicenceFactory(user=clinician, expires_on=EXPIRES, number="272727")
    record(clinician, amount="3.5", course=course_with("risk-management"))
    record(clinician, amount="12", course=course_with())

    sign_in(page, clinician)
    risk = page.locator(".requirement", has_text="Risk management")
    expect(risk).to_contain_text("3.5 of 10 credits")
    expect(risk).to_contain_text("Short")
    expect(risk).to_contain_text("6.5 credits of risk management still needed by 14 March 2027")
    expect(page.get_by_role("img", name="Risk management: 3.5 credits of 10 credits earned (35%)")
           ).to_be_visible()
    expect(page.locator(".requirement", has_text="All credits")).to_contain_text(
        "15.5 of 50 credits")
    screenshot(page, "requirements-phone-before")

    grand_rounds = course_with("risk-management")
    record(clinician, amount="6.5", course=grand_rounds)
    page.reload()
    expect(risk).to_contain_text("10 of 10 credits")
    expect(risk).to_contain_text("Met: 10 credits of risk management earned.")
    expect(page.locator(".requirement", has_text="All credits")).to_contain_text(
        "22 of 50 credits")
    screenshot(page, "requirements-phone-after")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="See the records behind each requirement").click()
    expect(page.get_by_role("heading", name="Licence requirements")).to_be_visible()
    risk_on_page = page.locator(".requirement", has_text="Risk management")
    risk_on_page.get_by_text("2 records counted").click()
    expect(risk_on_page.get_by_role("cell", name=grand_rounds.title)).to_be_visible()
    screenshot(page, "requirements-desktop")
