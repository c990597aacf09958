"""Journey: a clinician gets a session reminder, follows its unsubscribe link without signing
in, confirms, then signs in and switches the reminders back on from their email preferences."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import NotificationPreference, OutgoingMessage
from accounts.tasks import outgoing_message_batch_send
from courses.reminders import session_reminders_due_record
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, EnrolmentFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_unsubscribes_from_a_reminder_and_switches_it_back_on(page, live_server,
                                                                      settings):
    settings.SITE_URL = live_server.url
    clinician = UserFactory(full_name="Priya Raman", email="priya.raman@hospital.example")
    starts_at = timezone.now() + datetime.timedelta(hours=22)
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
                             course__title="Sepsis update")
    EnrolmentFactory(user=clinician, course=session.course)
    session_reminders_due_record()
    outgoing_message_batch_send.apply(
        args=[list(OutgoingMessage.objects.values_list("pk", flat=True))])
    link = re.search(r"http\S+/accounts/notifications/unsubscribe/\S+/", mail.outbox[0].body)

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    screenshot(page, "unsubscribe-confirm")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("You will no longer receive emails about")).to_be_visible()
    screenshot(page, "unsubscribe-done")
    assert NotificationPreference.objects.get(user=clinician).enabled is False

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/accounts/notifications/")
    reminders = page.get_by_label("Session reminders (a day and an hour before)")
    expect(reminders).not_to_be_checked()
    reminders.check()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    screenshot(page, "notification-preferences")
    assert NotificationPreference.objects.get(user=clinician,
                                              category="session_reminders").enabled is True
