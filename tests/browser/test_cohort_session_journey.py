"""A cohort's own session in the browser: the pathway's educator keeps a session of the live
course step for the cohort from the cohort's page; a nurse of the cohort finds it beside the
step on her phone and enrols from the course page; a colleague outside the cohort sees neither
the session nor its date. Every page is audited (CSP, axe) at 390 and 1280 px."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, sign_in_staff
from tests.credits.pathways.test_cohort_sessions import KEPT_TITLE, _world
from tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cohort_session_is_kept_by_the_educator_and_seen_by_its_nurses_only(
        browser, live_server, educator):
    world = _world(educator, public_in_days=None)
    cohort = world.kept.cohort_link.cohort
    starts = timezone.now() + datetime.timedelta(days=20)
    SessionFactory(course=world.course, title="Second skills day", starts_at=starts,
                   ends_at=starts + datetime.timedelta(hours=6))

    office = browser.new_context(base_url=live_server.url,
                                 viewport={"width": 1280, "height": 900}).new_page()
    sign_in_staff(office, educator)
    office.goto(f"/educator/pathways/{world.pathway.pk}/cohorts/{cohort.pk}/sessions/")
    # The one session still to come that is not kept yet is offered first.
    office.get_by_role("button", name=f"Keep it for {cohort.name}").click()
    expect(office.get_by_text("is now kept for January 2027 hires")).to_be_visible()
    expect(office.get_by_role("cell", name="Second skills day")).to_be_visible()
    screenshot(office, "cohort-session-01-office")

    nurse = browser.new_context(base_url=live_server.url,
                                viewport={"width": 390, "height": 844}).new_page()
    sign_in(nurse, world.member)
    nurse.goto(f"/pathways/{world.pathway.slug}/")
    expect(nurse.get_by_text("Your cohort's session").first).to_be_visible()
    expect(nurse.get_by_text(KEPT_TITLE)).to_be_visible()
    screenshot(nurse, "cohort-session-02-pathway-phone")
    nurse.get_by_role("link", name=world.course.title, exact=True).click()
    expect(nurse.get_by_text("Cohort: January 2027 hires").first).to_be_visible()
    nurse.get_by_role("button", name="Enrol").click()
    expect(nurse.get_by_text("You are enrolled.").first).to_be_visible()
    screenshot(nurse, "cohort-session-03-enrolled-phone")

    outsider = browser.new_context(base_url=live_server.url,
                                   viewport={"width": 390, "height": 844}).new_page()
    sign_in(outsider, world.outsider)
    outsider.goto(world.course.get_absolute_url())
    expect(outsider.get_by_text("Enrolment is closed for this activity.")).to_be_visible()
    assert KEPT_TITLE not in outsider.content()
    assert "Second skills day" not in outsider.content()
