"""Journey with the keyboard alone on a phone (WCAG 2.1.1, 2.4.3, 4.1.2): a clinician signs in,
opens the menu, searches the catalog, enrols, goes to My learning and claims the credit of an
activity she attended, with Tab, Enter and Space (and typing into fields), never the mouse; on
every page each control has an accessible name."""
import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Enrolment
from credits.evaluations.selectors import evaluation_questions_for
from credits.evaluations.services import evaluation_submit
from credits.models import CreditRecord
from tests.browser.conftest import screenshot
from tests.credits.claim_world import attended_course
from tests.factories import (
    TEST_PASSWORD,
    CourseFactory,
    CreditDesignationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROL_ROLES = ("link|button|textbox|searchbox|checkbox|radio|combobox|listbox|spinbutton|"
                 "slider|switch|tab|menuitem")
# A control in Chromium's accessibility tree with no name: `- button` or `- link [disabled]:`.
UNNAMED_CONTROL = re.compile(rf"^\s*- (?:{CONTROL_ROLES})(?: \[[^\]]*\])*:?$", re.MULTILINE)
MOST_TABS_TO_A_CONTROL = 60


def tab_to(page, role: str, name: str, *, exact: bool = True) -> None:
    """Press Tab until the control is focused (as a keyboard user would move through the page)."""
    control = page.get_by_role(role, name=name, exact=exact)
    expect(control).to_have_count(1)
    for _ in range(MOST_TABS_TO_A_CONTROL):
        page.keyboard.press("Tab")
        if control.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{role} {name!r} is not reachable with Tab on {page.url}")


def assert_every_control_named(page) -> None:
    unnamed = [line.strip() for line in
               UNNAMED_CONTROL.findall(page.locator("body").aria_snapshot())]
    assert not unnamed, f"controls without an accessible name on {page.url}: {unnamed}"


def open_menu_and_follow(page, link: str) -> None:
    """On a phone the navigation sits behind the Menu toggle, a checkbox Space opens."""
    tab_to(page, "checkbox", "Show menu")
    page.keyboard.press("Space")
    tab_to(page, "link", link)
    page.keyboard.press("Enter")


def test_clinician_signs_in_enrols_and_claims_with_the_keyboard_only(page):
    clinician = UserFactory(full_name="Priya Raman", email="priya@hospital.example")
    attended = attended_course(clinician, title="Sepsis: the first hour", claim_window_days=30)
    evaluation_submit(user=clinician, course=attended, answers={
        question.pk: {"rating": 5, "yes_no": True, "text": "Lactate within the first hour.",
                      "follow_up_text": ""}
        for question in evaluation_questions_for(course=attended)})
    starts = (timezone.now() + datetime.timedelta(days=9)).replace(hour=12, minute=0, second=0,
                                                                   microsecond=0)
    course = CourseFactory(title="Delirium Prevention on the Wards", slug="delirium-prevention",
                           summary="Screening, prevention bundles and family involvement.")
    SessionFactory(course=course, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
                   location="Main Auditorium")
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))

    page.goto("/accounts/login/")
    assert_every_control_named(page)
    tab_to(page, "textbox", "Email", exact=False)
    page.keyboard.type("priya@hospital.example")
    tab_to(page, "textbox", "Password:")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    assert_every_control_named(page)

    open_menu_and_follow(page, "Catalog")
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    assert_every_control_named(page)
    tab_to(page, "searchbox", "Search courses")
    page.keyboard.type("delirium")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 course")).to_be_visible()
    tab_to(page, "link", "Delirium Prevention on the Wards")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Delirium Prevention on the Wards")).to_be_visible()
    assert_every_control_named(page)
    tab_to(page, "button", "Enrol")
    page.keyboard.press("Space")
    expect(page.get_by_text("You are enrolled.").first).to_be_visible()
    screenshot(page, "keyboard-01-enrolled-focus")
    assert Enrolment.objects.get(user=clinician, course=course).status == "enrolled"

    open_menu_and_follow(page, "My learning")
    expect(page.get_by_role("link", name="Delirium Prevention on the Wards")).to_be_visible()
    assert_every_control_named(page)
    tab_to(page, "link", "Claim credit for Sepsis: the first hour")
    page.keyboard.press("Enter")

    expect(page.get_by_label("AMA PRA Category 1 Credits™")).to_have_value("1.50")
    assert_every_control_named(page)
    tab_to(page, "button", "Claim credit")
    screenshot(page, "keyboard-02-claim-button-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Claimed 1.50 AMA PRA Category 1 Credits™")).to_be_visible()
    assert_every_control_named(page)
    record = CreditRecord.objects.get(user=clinician)
    assert (record.amount, record.course, record.status) == (1.5, attended, "active")
