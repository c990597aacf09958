"""Journey: a new clinician signs up, confirms their email from the message, signs in."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_signs_up_confirms_email_and_sees_my_learning(page):
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Full name").fill("Priya Raman")
    page.get_by_label("Email").fill("priya.raman@hospital.example")
    page.get_by_label("Profession").select_option("physician")
    page.get_by_label("Degree").select_option("MD")
    page.locator("#id_password1").fill("grand-rounds-2026")
    page.locator("#id_password2").fill("grand-rounds-2026")
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("priya.raman@hospital.example")
    page.get_by_label("Password:").fill("grand-rounds-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.get_by_text("Complete your profile")).to_be_visible()
    screenshot(page, "my-learning")
    assert User.objects.get(email="priya.raman@hospital.example").is_clinician
