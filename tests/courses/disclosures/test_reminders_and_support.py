"""The hourly disclosure scan (before a disclosure lapses; when an activity needs one), each
email exactly once through the outbox; commercial support and its written agreement."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from courses.disclosures.models import CommercialSupport, DisclosureLink
from courses.disclosures.services import commercial_support_save
from courses.disclosures.tasks import disclosure_reminders_tick
from courses.models import Course
from courses.services import review
from tests.factories import (
    DisclosureFactory,
    FacultyFactory,
    FinancialDisclosureFactory,
    UserFactory,
    course_ready_for_review,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_lapsing_disclosure_is_reminded_once_however_often_the_scan_runs():
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    signed_at = timezone.now() - datetime.timedelta(days=350)
    FinancialDisclosureFactory(person=person, signed_at=signed_at)
    FinancialDisclosureFactory(person=FacultyFactory(email="fresh@hospital.example"))
    first = disclosure_reminders_tick.apply().get()
    second = disclosure_reminders_tick.apply().get()
    assert (first["lapsing"], second["lapsing"]) == (1, 0)
    reminder = OutgoingMessage.objects.get(kind="disclosure_expiring")
    assert reminder.recipient.email == "sokafor@cardio.example"
    assert DisclosureLink.objects.filter(person=person).count() == 1


def test_a_newer_disclosure_stops_the_lapse_reminder():
    person = FacultyFactory(email="sokafor@cardio.example")
    FinancialDisclosureFactory(person=person,
                               signed_at=timezone.now() - datetime.timedelta(days=350))
    FinancialDisclosureFactory(person=person)
    assert disclosure_reminders_tick.apply().get()["lapsing"] == 0


def test_an_upcoming_activity_asks_for_a_missing_disclosure_once(educator):
    course = course_ready_for_review(directors=[educator])
    newcomer = FacultyFactory(full_name="Lee Park", email="lpark@hospital.example")
    course.sessions.get().faculty.add(newcomer)
    first = disclosure_reminders_tick.apply().get()
    second = disclosure_reminders_tick.apply().get()
    assert (first["missing"], second["missing"]) == (1, 0)
    request = OutgoingMessage.objects.get(kind="disclosure_request")
    assert request.recipient.email == "lpark@hospital.example"
    assert request.context["course_title"] == course.title


def _support(course, editor, **fields):
    fields.setdefault("supporter", "Cardiora Therapeutics")
    fields.setdefault("amount", 5000)
    return commercial_support_save(course=course, editor=editor, **fields)


def test_supported_activity_cannot_publish_without_an_agreement_signed_before_it(educator):
    course = course_ready_for_review(directors=[educator])
    first_day = timezone.localdate(course.sessions.get().starts_at)
    support = _support(course, educator, in_kind="Ultrasound machines on loan")
    with pytest.raises(ValidationError, match="Upload the signed written agreement"):
        review.course_submit(course=course, editor=educator)
    _support(course, educator, support=support, agreement_signed_on=first_day,
             agreement=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"))
    with pytest.raises(ValidationError, match="must be signed before the activity"):
        review.course_submit(course=course, editor=educator)
    _support(course, educator, support=support,
             agreement_signed_on=first_day - datetime.timedelta(days=14))
    review.course_submit(course=course, editor=educator)
    assert Course.objects.get(pk=course.pk).status == Course.Status.IN_REVIEW


def test_the_agreement_must_really_be_a_pdf_under_the_size_limit(educator):
    course = course_ready_for_review(directors=[educator])
    with pytest.raises(ValidationError, match="must be a PDF"):
        _support(course, educator, agreement=SimpleUploadedFile(
            "agreement.pdf", b"<html>not a pdf</html>", content_type="application/pdf"))
    with override_settings(SUPPORT_AGREEMENT_MAX_BYTES=20), \
            pytest.raises(ValidationError, match="larger than"):
        _support(course, educator, agreement=SimpleUploadedFile("a.pdf", PDF))
    assert not CommercialSupport.objects.exists()


def test_support_is_money_or_in_kind(educator):
    course = course_ready_for_review(directors=[educator])
    with pytest.raises(ValidationError) as excinfo:
        _support(course, educator, amount=None)
    assert "amount" in excinfo.value.message_dict


def test_the_agreement_is_served_only_to_the_activitys_managers(client, educator, admin_user,
                                                               clinician):
    course = course_ready_for_review(directors=[educator])
    support = _support(course, educator, agreement_signed_on=datetime.date(2026, 1, 5),
                       agreement=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("disclosures:support_agreement", args=[course.pk, support.pk])
    other = course_ready_for_review(directors=[UserFactory(roles=["educator"])])
    for user, status in [(educator, 200), (admin_user, 200), (clinician, 403)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
    client.force_login(educator)
    assert client.get(reverse("disclosures:support_agreement",
                              args=[other.pk, support.pk])).status_code == 404
    client.force_login(admin_user)
    assert b"".join(client.get(url).streaming_content) == PDF


def test_learners_see_supporters_by_name(client, educator, clinician):
    course = course_ready_for_review(directors=[educator], status=Course.Status.PUBLISHED)
    DisclosureFactory(course=course, faculty=FacultyFactory())
    _support(course, educator, in_kind="Ultrasound machines on loan")
    client.force_login(clinician)
    body = client.get(course.get_absolute_url()).content.decode()
    assert ("This activity is supported by an educational grant from Cardiora Therapeutics and "
            "in-kind support (Ultrasound machines on loan) from Cardiora Therapeutics.") in body
