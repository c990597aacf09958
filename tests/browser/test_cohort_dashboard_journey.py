"""The office watches a residency cohort: on the dashboard (a desk, then a phone) it sees who
is behind and where people stop, nudges the learner behind once; a nurse of the cohort sees the
skills day on her pathway page on her phone."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, sign_in_staff
from tests.credits.pathways.helpers import residency_ten_days_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_watches_a_cohort_and_nudges_the_learner_behind(browser, page, live_server,
                                                                   educator):
    residency, _amelia, luis, _hannah = residency_ten_days_in(educator)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page, educator)
    page.goto(f"/educator/pathways/{residency.pathway.pk}/")
    page.get_by_role("link", name="Learners' progress").click()
    page.get_by_role("link", name=residency.cohort.name).click()
    expect(page.get_by_role("heading", name=residency.cohort.name)).to_be_visible()
    expect(page.locator(".standing-behind")).to_have_text("1 behind")
    expect(page.get_by_role("row", name="Hannah Brooks")).to_contain_text(
        "Overdue: Central Line Care")
    screenshot(page, "cohort-dashboard-desk")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "cohort-dashboard-phone")
    page.get_by_role("button", name="Nudge 1 learner behind").click()
    expect(page.get_by_text("Nudged 1 learner about their overdue step.")).to_be_visible()
    expect(page.get_by_text("Everyone behind on a step has been emailed")).to_be_visible()

    nurse = browser.new_context(base_url=live_server.url,
                                viewport={"width": 390, "height": 844}).new_page()
    sign_in(nurse, luis)
    nurse.goto(f"/pathways/{residency.pathway.slug}/")
    skills_day = nurse.locator(".pathway-step", has_text="Residency skills day")
    expect(skills_day).to_contain_text("Skills checklist")
    expect(skills_day).to_contain_text("To do")
    screenshot(nurse, "residency-pathway-phone")
