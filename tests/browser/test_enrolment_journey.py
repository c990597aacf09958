"""Journey: a clinician finds a course by search, reads the disclosures and enrols; a second
clinician is waitlisted; the first cancels; the second is promoted and gets the email."""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import OutgoingMessage
from courses.models import Enrolment
from tests.browser.conftest import BROWSER_TIMEOUT_MS, screenshot, sign_in_with_session
from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    DisclosureFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    relationship_disclosed,
)
from tests.outbox import send_outgoing_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, live_server, user, width=390):
    """A browser context already signed in as `user` (sign-in itself is another journey)."""
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    sign_in_with_session(page, live_server, user)
    return page


def _catalog_with_a_one_seat_course():
    starts = (timezone.now() + datetime.timedelta(days=8)).replace(hour=17, minute=0, second=0,
                                                                   microsecond=0)
    course = CourseFactory(
        title="Delirium Prevention on the Wards", slug="delirium-prevention", capacity=1,
        summary="Screening, prevention bundles and family involvement for older inpatients.")
    SessionFactory(course=course, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
                   location="Main Auditorium")
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    relationship_disclosed(course=course, faculty=FacultyFactory(full_name="Sofia Alvarez"),
                           company="Cardiora Therapeutics", mitigated_by=UserFactory())
    DisclosureFactory(course=course, faculty=FacultyFactory(full_name="Ruth Goldberg"),
                      role="planner")
    for number in range(4):
        other = CourseFactory(title=f"Medical Grand Rounds, week {number + 1}",
                              summary="Weekly grand rounds of the Department of Medicine.")
        SessionFactory(course=other,
                       starts_at=starts + datetime.timedelta(days=number),
                       ends_at=starts + datetime.timedelta(days=number, hours=1))
        CreditDesignationFactory(course=other)
    return course


def test_clinicians_enrol_waitlist_cancel_and_promotion_email(browser, live_server):
    course = _catalog_with_a_one_seat_course()
    priya = UserFactory(full_name="Priya Raman", email="priya@hospital.example")
    sam = UserFactory(full_name="Sam Ortiz", email="sam@hospital.example")

    desktop = _signed_in_page(browser, live_server, priya, width=1280)
    desktop.goto("/courses/")
    screenshot(desktop, "catalog-desktop")
    desktop.context.close()

    page = _signed_in_page(browser, live_server, priya)
    page.goto("/courses/")
    screenshot(page, "catalog-phone")
    page.get_by_label("Search courses").fill("delirium")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 course")).to_be_visible()
    page.get_by_role("link", name="Delirium Prevention on the Wards").click()
    expect(page.get_by_text("Consultant, Cardiora Therapeutics")).to_be_visible()
    expect(page.get_by_text("All relevant financial relationships have been mitigated."))\
        .to_be_visible()
    screenshot(page, "course-page")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You are enrolled.").first).to_be_visible()
    expect(page.get_by_role("button", name="Cancel enrolment")).to_be_visible()

    sams_page = _signed_in_page(browser, live_server, sam)
    sams_page.goto(course.get_absolute_url())
    sams_page.get_by_role("button", name="Join waitlist").click()
    expect(sams_page.get_by_text("This activity is full: you are number 1 on the waitlist"))\
        .to_be_visible()

    page.goto("/learning/")
    expect(page.get_by_role("link", name="Delirium Prevention on the Wards")).to_be_visible()
    expect(page.get_by_text("Complete your profile")).to_be_visible()
    expect(page.get_by_text("Nothing waiting for you")).to_be_hidden()
    screenshot(page, "my-learning-enrolled")
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Cancel enrolment").click()
    expect(page.get_by_text("Your enrolment is cancelled")).to_be_visible()

    promoted = Enrolment.objects.get(user=sam, course=course, status__in=["enrolled",
                                                                          "waitlisted"])
    assert promoted.status == Enrolment.Status.ENROLLED
    message = OutgoingMessage.objects.get(recipient=sam, kind="enrolment_promoted")
    assert message.object_key == f"enrolment:{promoted.pk}"
    mail.outbox.clear()
    assert send_outgoing_message(message.pk) == "sent"
    email = mail.outbox[0]
    assert email.to == ["sam@hospital.example"]
    assert "A seat freed up" in email.subject
    assert "it is yours. You are now enrolled." in email.body
    assert f"{settings.SITE_URL}{course.get_absolute_url()}" in email.body

    sams_page.goto("/learning/")
    expect(sams_page.get_by_role("link", name="Delirium Prevention on the Wards")).to_be_visible()
    screenshot(sams_page, "my-learning-promoted")
    sams_page.context.close()
    page.context.close()
