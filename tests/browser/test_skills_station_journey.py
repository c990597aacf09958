"""Journey: on a simulation day a preceptor runs a station on her phone, finds a nurse enrolled
in the session and validates a skill with one tap."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.credits.checklists.test_stations import skills_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_preceptor_validates_a_nurse_at_a_station_with_one_tap(page):
    day = skills_day(3)
    sign_in(page, day["preceptor"])
    page.goto("/checklists/validate/")
    page.get_by_role("link", name="Your skills stations").click()
    page.get_by_role("link", name="Station 1: Central-line care").click()
    expect(page.locator(".station-learners li")).to_have_count(3)
    screenshot(page, "station-learners-phone")
    page.get_by_role("link", name="Nurse 01").click()
    skill = page.locator(f"#skill-{day['skills'][0].pk}")
    skill.get_by_role("button", name="Validated").click()
    expect(skill.locator(".badge")).to_have_text("Validated")
    expect(page.get_by_text("1 of 4 validated")).to_be_visible()
    screenshot(page, "station-learner-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "station-learner-desktop")
