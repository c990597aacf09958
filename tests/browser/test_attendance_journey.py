"""Journeys: a clinician checks in with the code on a phone; an educator imports a participant
report with one bad row, sees nothing applied and the row's error, fixes it and applies."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credits.models import Attendance
from tests.browser.conftest import screenshot, sign_in, sign_in_staff
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_session(educator):
    now = timezone.now()
    course = CourseFactory(title="Sepsis Grand Rounds", directors=[educator])
    return SessionFactory(course=course, starts_at=now - datetime.timedelta(minutes=10),
                          ends_at=now + datetime.timedelta(minutes=50))


def test_enrolled_clinician_checks_in_with_the_code_on_a_phone(page, clinician,
                                                               running_session):
    EnrolmentFactory(user=clinician, course=running_session.course)
    sign_in(page, clinician)
    page.goto("/checkin/")
    page.get_by_label("Check-in code").fill("WRONG1")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("is not the code of a session").first).to_be_visible()
    screenshot(page, "checkin-wrong-code-phone")

    page.get_by_label("Check-in code").fill(running_session.checkin_code.lower())
    screenshot(page, "checkin-phone")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("You're checked in to Sepsis Grand Rounds")).to_be_visible()
    screenshot(page, "checkin-done-phone")
    assert Attendance.objects.get(user=clinician).source == "check_in"

    # Scanning the QR code later is a friendly no-op.
    page.goto(f"/checkin/{running_session.checkin_code}/")
    expect(page.get_by_text("You're already checked in at")).to_be_visible()
    screenshot(page, "checkin-scanned-again-phone")
    assert Attendance.objects.count() == 1


def test_educator_imports_a_report_fixes_the_bad_row_and_applies(
        page, educator, running_session, clinician, other_clinician, tmp_path):
    for person in (clinician, other_clinician):
        EnrolmentFactory(user=person, course=running_session.course)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page, educator)
    expect(page.get_by_text("Successfully signed in as Marcus Lee.")).to_be_visible()

    page.goto(f"/educator/sessions/{running_session.pk}/checkin/")
    expect(page.locator(".checkin-code")).to_have_text(running_session.checkin_code)
    screenshot(page, "checkin-display")

    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
    bad = tmp_path / "zoom-participants.csv"
    bad.write_text("\ufeff" + header
                   + "Priya Raman,priya@hospital.example,11/24/2026 07:29:00 AM,"
                     "11/24/2026 08:30:00 AM,61\r\n"
                   + "Sam Ortiz,sam@hospital.exmaple,11/24/2026 07:40:00 AM,"
                     "11/24/2026 08:10:00 AM,30\r\n", encoding="utf-8", newline="")
    page.goto(f"/educator/sessions/{running_session.pk}/attendance/import/")
    page.get_by_label("Participant report (CSV)").set_input_files(bad)
    page.get_by_role("button", name="Check the report").click()
    expect(page.get_by_text("Nothing has been recorded")).to_be_visible()
    errors = page.locator("table.import-errors")
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("No portal account uses this email address.")
    screenshot(page, "import-with-error")
    assert not Attendance.objects.exists()

    fixed = tmp_path / "zoom-participants-fixed.csv"
    fixed.write_text(bad.read_text(encoding="utf-8").replace("exmaple", "example"),
                     encoding="utf-8", newline="")
    page.get_by_role("link", name="upload it again").click()
    page.get_by_label("Participant report (CSV)").set_input_files(fixed)
    page.get_by_role("button", name="Check the report").click()
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Apply attendance for 2 people").click()
    expect(page.get_by_text("Attendance recorded for 2 people.")).to_be_visible()
    screenshot(page, "import-applied")
    minutes = dict(Attendance.objects.values_list("user__email", "minutes_attended"))
    assert minutes == {"priya@hospital.example": 60, "sam@hospital.example": 30}

    page.get_by_role("link", name="roster").first.click()
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()
    screenshot(page, "roster")
