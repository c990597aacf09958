"""Disclosure pages: the tokenised self-disclosure link (the person it was sent to, no account),
and the activity's disclosure, mitigation and commercial support pages (its directors and the
CME office)."""
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from courses.disclosures.models import CommercialSupport, DisclosureLink
from courses.disclosures.services import disclosure_link_token
from tests.authz_rows import Row
from tests.factories import DraftCourseFactory, FacultyFactory, relationship_disclosed

MANAGERS = {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 200,
            "administrator": 200}
MANAGERS_POST = {**MANAGERS, "educator": "redirect", "administrator": "redirect"}
# Anyone holding the link may open it without signing in; signed in as someone else, refused.
LINK_HOLDER = {"anonymous": 200, "clinician": 403, "other_clinician": 403, "educator": 403,
               "administrator": 403}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def objects(world):
    course = DraftCourseFactory(title="Heart failure update", directors=[world["educator"]])
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    relationship = relationship_disclosed(course=course, faculty=person,
                                          company="Cardiora Therapeutics")
    invited = FacultyFactory(full_name="Lee Park", email="lpark@hospital.example")
    link = DisclosureLink.objects.create(person=invited, course=course,
                                         expires_at=timezone.now() + datetime.timedelta(days=30))
    support = CommercialSupport(course=course, supporter="Cardiora Therapeutics",
                                amount=5000, recorded_by=world["educator"],
                                agreement_signed_on=datetime.date(2026, 1, 5))
    support.agreement.save("agreement.pdf", ContentFile(PDF), save=False)
    support.save()
    return {"disclosure_course": course, "disclosure_relationship": relationship,
            "disclosure_link": link, "disclosure_support": support}


def _course(world):
    return {"pk": world["disclosure_course"].pk}


def _relationship(world):
    return {**_course(world), "relationship_pk": world["disclosure_relationship"].pk}


def _support(world):
    return {**_course(world), "support_pk": world["disclosure_support"].pk}


COURSE = "educator/courses/<int:pk>/disclosures/"

ROWS: dict[str, Row] = {
    "disclose/<str:token>/": Row(LINK_HOLDER, kwargs=lambda world: {
        "token": disclosure_link_token(world["disclosure_link"])}),
    COURSE + "review/": Row(MANAGERS, kwargs=_course),
    COURSE + "requests/": Row(MANAGERS_POST, method="post", kwargs=_course),
    COURSE + "relationships/<int:relationship_pk>/mitigation/": Row(
        MANAGERS_POST, method="post", kwargs=_relationship),
    COURSE + "support/new/": Row(MANAGERS, kwargs=_course),
    COURSE + "support/<int:support_pk>/": Row(MANAGERS, kwargs=_support),
    COURSE + "support/<int:support_pk>/agreement.pdf": Row(MANAGERS, kwargs=_support),
}
