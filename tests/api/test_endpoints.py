"""What the API answers, the same as the pages: transcript filters, certificates with their
verification URL and PDF, requirement progress, the public catalog, an activity's
participation; list routes in a fixed number of queries at two data sizes."""
import datetime

import pytest
from django.utils import timezone

from accounts.tokens import personal_token_create
from credits.ledger.external import external_activity_create
from tests.api.api_world import api_world, bearer
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(clinician, admin_user):
    return api_world(clinician, admin_user)


def test_transcript_takes_the_pages_filters(client, world, clinician, admin_user):
    from django.core.files.base import ContentFile

    external_activity_create(
        user=clinician, provider="ACP", title="Board review: cardiology",
        completed_on="2026-10-01", credit_type="ama_pra_1", amount="2.00", topics=[],
        certificate=ContentFile(b"%PDF-1.4\n%%EOF\n", name="acp.pdf"),
        certificate_mime="application/pdf")
    everything = client.get("/api/v1/me/transcript", **bearer(world["personal"])).json()
    assert [r["activity_title"] for r in everything["records"]] == [
        "Sepsis: Early Recognition and the First Hour", "Board review: cardiology (ACP)"]
    assert everything["totals"][0]["display"] == "3.50 AMA PRA Category 1 Credits™"
    october = client.get("/api/v1/me/transcript", {"start": "2026-10-01", "end": "2026-10-31"},
                         **bearer(world["personal"])).json()
    assert [r["external_provider"] for r in october["records"]] == ["ACP"]
    none = client.get("/api/v1/me/transcript", {"credit_type": "ancc"},
                      **bearer(world["personal"])).json()
    assert none["records"] == [] and none["totals"] == []


def test_certificates_carry_their_verification_url_and_pdf(client, world, settings):
    [certificate] = client.get("/api/v1/me/certificates", **bearer(world["personal"])).json()
    assert certificate["status"] == "ready"
    assert certificate["verification_url"] == (
        f"{settings.SITE_URL}/certificates/verify/{world['certificate'].verification_code}/")
    assert client.get(certificate["verification_url"].removeprefix(settings.SITE_URL)
                      ).status_code == 200
    pdf = client.get(certificate["pdf_url"], **bearer(world["personal"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_another_clinicians_certificate_is_not_found(client, world, other_clinician):
    theirs = personal_token_create(user=other_clinician, name="x",
                                   scopes=["certificates"]).secret
    url = f"/api/v1/me/certificates/{world['certificate'].pk}/pdf"
    assert client.get(url, **bearer(theirs)).status_code == 404
    assert client.get("/api/v1/me/certificates", **bearer(theirs)).json() == []


def test_requirement_progress_states_the_shortfall(client, world):
    [licence] = client.get("/api/v1/me/requirements", **bearer(world["personal"])).json()
    total = licence["requirements"][0]
    assert total["label"] == "All credits"
    assert total["earned"] == "1.50"
    assert "still needed by" in total["status"]


def test_catalog_is_public_and_filters_like_the_page(client):
    CreditDesignationFactory(course=CourseFactory(title="Pediatric Asthma Update"),
                             credit_type="ama_pra_1")
    CreditDesignationFactory(course=CourseFactory(title="Wound Care for Nurses"),
                             credit_type="ancc")
    for course in CourseFactory._meta.model.objects.all():
        SessionFactory(course=course, starts_at=timezone.now() + datetime.timedelta(days=7))
    body = client.get("/api/v1/catalog", {"credit_type": "ancc"}).json()
    assert [c["title"] for c in body["results"]] == ["Wound Care for Nurses"]
    assert body["results"][0]["credits"][0]["credit_type_label"].startswith("ANCC")
    assert client.get("/api/v1/catalog", {"starts_from": "2026-05-01",
                                          "starts_until": "2026-04-01"}).status_code == 422


def test_participation_lists_enrolments_and_attendance(client, admin_user, settings):
    from accounts.tokens import service_token_create

    hr = service_token_create(actor=admin_user, name="HR", scopes=["reports"]).secret
    course = make_course(title="Simulation Drill: Massive Transfusion")
    nurses = UserFactory.create_batch(3)
    for nurse in nurses:
        EnrolmentFactory(course=course, user=nurse)
    AttendanceFactory(session=course.sessions.get(), user=nurses[0])
    body = client.get(f"/api/v1/reports/courses/{course.pk}/participation", **bearer(hr)).json()
    assert len(body["enrolments"]) == 3
    assert [a["learner"]["id"] for a in body["attendance"]] == [nurses[0].pk]
    assert client.get("/api/v1/reports/courses/999999/participation",
                      **bearer(hr)).status_code == 404


def _more_data(n, *, clinician, hr_course):
    for i in range(n):
        course = make_course(title=f"Grand Rounds week {i}")
        SessionFactory(course=course, starts_at=timezone.now() + datetime.timedelta(days=3))
        AttendanceFactory(session=course.sessions.first(), user=clinician)
        claim_credit(clinician, course, send=False)
        learner = UserFactory()
        EnrolmentFactory(course=hr_course, user=learner)
        AttendanceFactory(session=hr_course.sessions.get(), user=learner)


LIST_ROUTES = {
    # route: (scope token, queries): the token look-up first in every authenticated count.
    "/api/v1/me/transcript": ("personal", 5),  # token, records, their designations (the AMA
    #                                           statement), totals, certificates
    "/api/v1/me/certificates": ("personal", 2),  # token, certificates with their course
    "/api/v1/me/requirements": ("personal", 5),  # token, licences, sets, topics, sums
    "/api/v1/catalog": (None, 3),  # count, page, designations
    "/api/v1/reports/credit-records": ("service", 2),  # token, changes with records
    "/api/v1/reports/completions": ("service", 3),  # token, keys, attendance
    "participation": ("service", 4),  # token, course, enrolments, attendance
}


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_list_routes_run_a_fixed_number_of_queries(client, world, clinician, admin_user,
                                                   settings, route, django_assert_num_queries):
    from accounts.tokens import service_token_create

    settings.API_SYNC_SETTLE_SECONDS = 0
    secrets = {"personal": world["personal"], "service": service_token_create(
        actor=admin_user, name="HR", scopes=["reports"]).secret}
    hr_course = make_course(title="Nursing Skills Day")
    kind, queries = LIST_ROUTES[route]
    url = (f"/api/v1/reports/courses/{hr_course.pk}/participation" if route == "participation"
           else route)
    headers = bearer(secrets[kind]) if kind else {}
    for size in (1, 4):
        _more_data(size, clinician=clinician, hr_course=hr_course)
        client.get(url, **headers)  # the token's last use is written on its first call
        with django_assert_num_queries(queries):
            assert client.get(url, **headers).status_code == 200
