"""Journey 4 on a phone: a drill question arrives by email, one tap on an answer records it
without signing in and opens the rationale; signed in, the next question is answered on the
site; My learning shows the drill's progress."""
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import OutgoingMessage
from credits.drills.models import DrillAnswer
from credits.drills.services import drill_deliveries_scan
from tests.browser.conftest import screenshot, sign_in
from tests.credits.drills.helpers import make_drill
from tests.outbox import send_outgoing_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_answers_drill_questions_from_the_email_and_on_the_site(
        page, browser, live_server, clinician, settings):
    settings.SITE_URL = live_server.url
    # Open all day, every day, so the journey does not depend on when it runs.
    course = make_drill(questions=4, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Join the drill").click()
    expect(page.get_by_text("0 of 4 questions retired")).to_be_visible()

    drill_deliveries_scan(now=timezone.now())
    message = OutgoingMessage.objects.get(kind="drill_questions")
    assert send_outgoing_message(message.pk) == "sent"
    html = mail.outbox[-1].alternatives[0][0]

    # The email, opened on a phone where nobody is signed in to the portal.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    inbox = phone.new_page()
    inbox.set_content(html)
    screenshot(inbox, "drill-01-email-phone")
    inbox.get_by_role("link", name=re.compile(r"^A\. Option A of 1")).click()
    expect(inbox.get_by_role("heading", name="Correct", level=1)).to_be_visible()
    expect(inbox.get_by_text("Surviving Sepsis Campaign 2021").first).to_be_visible()
    screenshot(inbox, "drill-02-rationale-phone")
    # The same link again (a double tap, a forwarded email): counted once, said plainly. The
    # email opens in a blank page, as in a mail app, not under the portal page's CSP.
    inbox.goto("about:blank")
    inbox.set_content(html)
    browser.expect_failure("/drills/answer/", 409)
    inbox.get_by_role("link", name=re.compile(r"^B\. Option B of 1")).click()
    expect(inbox.get_by_text("This question was already answered")).to_be_visible()
    phone.close()
    answer = DrillAnswer.objects.get()
    assert (answer.is_correct, answer.channel) == (True, "email")

    # Signed in on the site: question 2 waits; a wrong answer shows the right one.
    page.goto(f"/drills/{course.slug}/")
    question = page.locator("form.drill-question", has_text="Sepsis question 2")
    question.get_by_text("Option C of 2").click()
    question.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("heading", name="Not quite: the answer is below")).to_be_visible()
    expect(page.get_by_text("A wrong answer comes back at your next delivery")).to_be_visible()
    screenshot(page, "drill-03-site-rationale-phone")
    assert DrillAnswer.objects.count() == 2

    page.goto("/learning/")
    todo = page.locator("li.drill-todo")
    expect(todo).to_contain_text("Recognising Sepsis Early: 0 of 4 questions retired")
    expect(todo).to_contain_text("1-day streak")
    screenshot(page, "drill-04-my-learning-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "drill-05-my-learning-desktop")
    page.goto(f"/drills/{course.slug}/")
    screenshot(page, "drill-06-drill-page-desktop")
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    inbox = desktop.new_page()
    inbox.set_content(html)
    screenshot(inbox, "drill-07-email-desktop")
    desktop.close()
