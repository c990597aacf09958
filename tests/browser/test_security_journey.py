"""The page CSP in a real browser: Django admin works under it, and the journeys' audit (see
conftest) really fails on a CSP violation and on an unlabelled control."""
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from courses.models import Course
from tests.browser.conftest import screenshot
from tests.factories import CourseFactory, FacultyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_django_admin_change_forms_and_their_widgets_work_under_the_csp(page, live_server,
                                                                        admin_user):
    course = CourseFactory(title="Sepsis: Early Recognition and the First Hour")
    FacultyFactory(full_name="Dr. Amara Osei")
    _sign_in(page, live_server, admin_user)
    page.goto("/admin/")
    expect(page.get_by_role("link", name="Courses", exact=True)).to_be_visible()
    page.goto("/admin/courses/course/")
    expect(page.get_by_role("link", name=course.title)).to_be_visible()
    page.goto(f"/admin/courses/course/{course.pk}/change/")
    # filter_horizontal is drawn by admin's SelectFilter2.js: it only appears if scripts ran.
    expect(page.locator("#id_directors_filter")).to_be_visible()
    page.goto("/admin/courses/session/add/")
    # The date widget's "Today" shortcut comes from DateTimeShortcuts.js.
    page.get_by_role("link", name="Today").first.click()
    expect(page.locator("#id_starts_at_0")).not_to_have_value("")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "admin-session-add-1280")
    assert Course.objects.count() == 1


def test_the_audit_reports_a_blocked_inline_style_and_an_unlabelled_control(browser,
                                                                            live_server):
    policy = Client().get("/courses/")["Content-Security-Policy"]
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    # A page as a careless template would make it, served with the portal's real policy.
    page.route(f"{live_server.url}/courses/", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": policy},
        body='<!DOCTYPE html><html lang="en"><head><title>Catalog</title></head><body><main>'
             '<h1>Catalog</h1><p style="color: red">Sepsis bundle</p>'
             '<input type="text" name="q"></main></body></html>'))
    page.goto("/courses/")
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    page.wait_for_timeout(200)
    context.close()

    assert any("style-src" in violation for violation in browser.csp_violations), \
        browser.csp_violations
    problems = browser.accessibility_problems()
    assert any("/courses/ at 390px: critical label" in problem for problem in problems), problems
    assert any("/courses/ at 1280px: critical label" in problem for problem in problems)
    # Both were meant: leave nothing for this test's own teardown audit.
    browser.csp_violations.clear()
    browser.snapshots.clear()


def test_the_calendar_link_field_selects_itself_on_focus_from_the_static_script(page, live_server,
                                                                              clinician):
    _sign_in(page, live_server, clinician)
    page.goto("/learning/calendar/")
    page.get_by_role("button", name="Create my calendar link").click()
    field = page.get_by_label("Your calendar link")
    expect(field).to_have_value(re.compile(r"^http://.+\.ics"))
    field.focus()
    # static/js/portal.js replaces the old inline onfocus handler.
    selected = field.evaluate(
        "input => input.value.slice(input.selectionStart, input.selectionEnd)")
    assert selected == field.input_value()
    screenshot(page, "calendar-link-390")
