"""The page CSP in a real browser: Django admin works under it, and the journeys' audit (see
conftest) really fails on a CSP violation, an unlabelled control, a console or uncaught error
and a request the portal failed unexpectedly."""
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from courses.models import Course
from tests.browser.conftest import screenshot, sign_in_with_session
from tests.factories import CourseFactory, FacultyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_django_admin_change_forms_and_their_widgets_work_under_the_csp(page, live_server,
                                                                        admin_user):
    course = CourseFactory(title="Sepsis: Early Recognition and the First Hour")
    FacultyFactory(full_name="Dr. Amara Osei")
    sign_in_with_session(page, live_server, admin_user)
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


def _serve_under_the_policy(page, live_server, *, head: str, main: str) -> None:
    """Answer /courses/ with a page of our own, under the portal's real policy."""
    policy = Client().get("/courses/")["Content-Security-Policy"]
    page.route(f"{live_server.url}/courses/", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": policy},
        body=f'<!DOCTYPE html><html lang="en"><head><title>Catalog</title>{head}</head>'
             f'<body><main><h1>Catalog</h1>{main}</main></body></html>'))


def test_the_audit_reports_a_blocked_inline_style_and_an_unlabelled_control(browser,
                                                                            live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    # A page as a careless template would make it.
    _serve_under_the_policy(page, live_server, head="",
                            main='<p style="color: red">Sepsis bundle</p>'
                                 '<input type="text" name="q">')
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


def test_the_audit_reports_console_errors_uncaught_errors_and_unexpected_failed_requests(
        browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    # A page whose script (a file, as the policy wants) logs an error, asks the portal for a
    # page that does not exist and for one the journey expects to fail, and then throws.
    page.route(f"{live_server.url}/static/js/careless.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript",
        body='console.error("Could not draw the credits chart");'
             'Promise.all([fetch("/no-such-page/"),'
             ' fetch("/certificates/verify/AAAABBBBCCCCDDDD/")]).then(() => {'
             ' document.body.dataset.fetched = "yes"; });'
             'throw new TypeError("chart is undefined");'))
    _serve_under_the_policy(page, live_server, main="",
                            head='<script src="/static/js/careless.js" defer></script>')
    browser.expect_failure("/certificates/verify/AAAABBBBCCCCDDDD/", 404)
    browser.expect_failure("/drills/answer/", 409)  # never requested
    page.goto("/courses/")
    expect(page.locator("body[data-fetched=yes]")).to_be_attached()
    context.close()

    errors = browser.errors()
    assert f"{live_server.url}/courses/: console: Could not draw the credits chart " \
           f"({live_server.url}/static/js/careless.js:0)" in errors, errors
    assert f"{live_server.url}/courses/: uncaught TypeError: chart is undefined" in errors
    assert f"GET {live_server.url}/no-such-page/ answered 404" in errors
    assert not any("AAAABBBBCCCCDDDD" in error for error in errors)
    assert "expected /drills/answer/ to answer 409; it never did" in errors
    assert len(errors) == 4, errors
    # All were meant: leave nothing for this test's own teardown audit.
    browser.page_errors.clear()
    browser.failed_requests.clear()
    browser.expected_failures.clear()
    browser.snapshots.clear()


def test_the_calendar_link_field_selects_itself_on_focus_from_the_static_script(page, live_server,
                                                                              clinician):
    sign_in_with_session(page, live_server, clinician)
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
