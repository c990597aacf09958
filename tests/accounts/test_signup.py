import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import OutgoingMessage, User
from tests.conftest import queued_work
from tests.outbox import send_outgoing_message

pytestmark = pytest.mark.django_db

SIGNUP = {"full_name": "Alex Morgan", "email": "Alex.Morgan@Hospital.Example",
          "profession": "nurse", "degree": "RN", "password1": "sepsis-bundle-2026",
          "password2": "sepsis-bundle-2026"}


def test_signup_makes_a_clinician_who_must_confirm_their_email_before_signing_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="alex.morgan@hospital.example")
    assert user.is_clinician and not user.is_educator and not user.is_administrator
    assert (user.full_name, user.profession, user.degree) == ("Alex Morgan", "nurse", "RN")
    assert len(mail.outbox) == 1 and "Confirm" in mail.outbox[0].subject

    response = client.post(reverse("account_login"),
                           {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_confirming_the_email_queues_exactly_one_welcome_email_after_commit(
        client, django_capture_on_commit_callbacks):
    client.post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(link)
    assert EmailAddress.objects.get(email="alex.morgan@hospital.example").verified
    welcome = OutgoingMessage.objects.get(kind="welcome")
    assert welcome.status == OutgoingMessage.Status.QUEUED
    assert len(queued_work(callbacks)) == 1

    mail.outbox.clear()
    assert send_outgoing_message(welcome.pk) == "sent"
    assert send_outgoing_message(welcome.pk) == "already-sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex.morgan@hospital.example"]
    assert "Hello Alex Morgan" in message.body
    assert "http://127.0.0.1:8000/accounts/profile/" in message.body
    html = message.alternatives[0][0]
    assert "Complete your profile" in html


def test_signup_with_a_weak_password_explains_the_problem_and_creates_nothing(client):
    response = client.post(reverse("account_signup"),
                           {**SIGNUP, "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.filter(email="alex.morgan@hospital.example").exists()


def test_signup_with_a_taken_email_does_not_reveal_the_account_but_tells_its_owner(
        client, clinician):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": clinician.email.upper()})
    assert response.status_code == 302  # same answer as a new address: no account enumeration
    assert User.objects.filter(email__iexact=clinician.email).count() == 1
    assert mail.outbox[0].to == [clinician.email]
    assert "already" in mail.outbox[0].body.lower()
