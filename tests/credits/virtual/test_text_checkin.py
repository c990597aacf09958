"""Text check-in: a learner links their phone once from the profile (texting the code shown),
then texts the session's code to the office's number; every other case gets its documented
reply, and only a call signed as Twilio signs it is answered."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.models import Attendance
from credits.virtual.models import InboundText, TextingPhone
from tests.credits.virtual import twilio_sender
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
MOBILE = "+16175550123"


@pytest.fixture
def texting(settings):
    settings.TWILIO_AUTH_TOKEN = twilio_sender.AUTH_TOKEN
    settings.SMS_OFFICE_NUMBER = twilio_sender.OFFICE_NUMBER
    return settings


@pytest.fixture
def session(clinician):
    course = CourseFactory(title="Tumour board", evaluation_required=True)
    starts_at = timezone.now() - datetime.timedelta(minutes=5)
    session = SessionFactory(course=course, starts_at=starts_at, checkin_code="TMB7K2",
                             ends_at=starts_at + datetime.timedelta(minutes=60))
    EnrolmentFactory(course=course, user=clinician)
    return session


@pytest.fixture
def linked_phone(clinician):
    return TextingPhone.objects.create(user=clinician, number=MOBILE,
                                       verified_at=timezone.now())


def _reply(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    return re.search(r"<Message>(.*)</Message>", response.text, re.S).group(1)


def _text(client, settings, body, *, from_number=MOBILE, **kwargs):
    return twilio_sender.text(client, site_url=settings.SITE_URL, from_number=from_number,
                              body=body, **kwargs)


def test_a_learner_links_their_phone_by_texting_the_code_from_the_profile(client, texting,
                                                                         clinician):
    client.force_login(clinician)
    assert reverse("virtual:phone") in client.get(reverse("accounts:profile")).text
    client.post(reverse("virtual:phone"), {"number": "(617) 555-0123"})
    phone = TextingPhone.objects.get(user=clinician)
    assert phone.number == MOBILE and phone.verified_at is None
    page = client.get(reverse("virtual:phone")).text
    assert f"LINK {phone.code}" in page and "+1 617-555-0100" in page
    client.logout()
    wrong = _reply(_text(client, texting, "LINK 000000" if phone.code != "000000"
                         else "LINK 111111"))
    assert "does not match" in wrong
    reply = _reply(_text(client, texting, f"link {phone.code}"))
    assert "now linked to your CPD Portal profile" in reply
    phone.refresh_from_db()
    assert phone.verified_at is not None and phone.code == ""


def test_a_verified_number_inside_the_window_checks_in_once(client, texting, session,
                                                           clinician, linked_phone):
    reply = _reply(_text(client, texting, "tmb 7k2"))
    assert reply.startswith("You're checked in to Tumour board at")
    assert f"/courses/{session.course.slug}/evaluation/" in reply
    attendance = Attendance.objects.get(session=session, user=clinician)
    assert attendance.source == "check_in"
    again = _reply(_text(client, texting, "TMB7K2"))  # the same text twice
    assert again.startswith("You're already checked in to Tumour board")
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_repeated_delivery_gets_the_same_reply_and_does_nothing_more(client, texting,
                                                                       session, linked_phone):
    first = _reply(_text(client, texting, "TMB7K2", sid="SM" + "7" * 32))
    second = _reply(_text(client, texting, "TMB7K2", sid="SM" + "7" * 32))
    assert first == second and InboundText.objects.count() == 1


def test_wrong_codes_are_answered_then_rate_limited(client, texting, session, linked_phone):
    texting.CHECKIN_WRONG_CODE_LIMIT = 3
    replies = [_reply(_text(client, texting, "ZZZZZZ")) for _ in range(4)]
    assert "“ZZZZZZ” is not the code of a session" in replies[0]
    assert "Too many wrong codes" in replies[3]
    # Even the right code waits now.
    assert "Too many wrong codes" in _reply(_text(client, texting, "TMB7K2"))
    assert not Attendance.objects.exists()


def test_an_unknown_number_is_told_how_to_link_it(client, texting, session):
    reply = _reply(_text(client, texting, "TMB7K2", from_number="+16175550999"))
    assert "not linked to a CPD Portal profile" in reply
    assert "/profile/phone/" in reply and "LINK code" in reply
    assert InboundText.objects.get().outcome == "unknown_number"


def test_a_text_after_the_window_says_it_closed(client, texting, session, linked_phone):
    session.starts_at -= datetime.timedelta(hours=5)
    session.ends_at -= datetime.timedelta(hours=5)
    session.save()
    reply = _reply(_text(client, texting, "TMB7K2"))
    assert "closed at" in reply and "ask the course director" in reply
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("tamper", ["unsigned", "wrong_token"])
def test_only_a_call_signed_as_twilio_signs_it_is_answered(client, texting, session,
                                                           linked_phone, tamper):
    response = _text(client, texting, "TMB7K2", signed=tamper != "unsigned",
                     token="not-the-token")
    assert response.status_code == 403
    assert not Attendance.objects.exists() and not InboundText.objects.exists()


def test_without_an_sms_number_the_phone_page_and_webhook_are_404(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("virtual:phone")).status_code == 404
    assert client.post("/webhooks/sms/", {"Body": "x"}).status_code == 404
