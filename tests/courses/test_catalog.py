"""The public catalog and the course page: search, filters, sort, statements, primary action."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.credit_types import CreditType
from courses.models import Course, Enrolment, Specialty
from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    DisclosureFactory,
    EnrolmentFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    relationship_disclosed,
)

pytestmark = pytest.mark.django_db
CATALOG = reverse("courses:catalog")


def _titles(response) -> list[str]:
    return [course.title for course in response.context["catalog"]["page"]]


def _course(title="Course", days=7, **kwargs):
    course = CourseFactory(title=title, **kwargs)
    SessionFactory(course=course, starts_at=timezone.now() + datetime.timedelta(days=days),
                   ends_at=timezone.now() + datetime.timedelta(days=days, hours=1))
    return course


def test_catalog_lists_only_published_courses(client):
    _course("Published sepsis update")
    _course("Draft sepsis update", status=Course.Status.DRAFT)
    _course("In review sepsis", status=Course.Status.IN_REVIEW)
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert _titles(response) == ["Published sepsis update"]


def test_search_uses_full_text_ranking_with_title_first(client):
    _course("Heart failure update", summary="Diuretics and more.")
    _course("Ward medicine", summary="Includes a short note on heart failure.")
    _course("Airway simulation", summary="Intubation drills.")
    response = client.get(CATALOG, {"q": "heart failures"})  # stemmed by the english config
    assert _titles(response) == ["Heart failure update", "Ward medicine"]


def test_search_understands_web_search_syntax(client):
    _course("Opioid prescribing", summary="Safe prescribing.")
    _course("Opioid use disorder", summary="Buprenorphine in the ED.")
    response = client.get(CATALOG, {"q": "opioid -buprenorphine"})
    assert _titles(response) == ["Opioid prescribing"]


def test_filters_narrow_by_specialty_format_profession_credit_and_seats(client):
    nursing = Specialty.objects.create(slug="nursing", name="Nursing")
    skills = _course("Nursing skills day", target_professions=["nurse"], capacity=2)
    skills.specialties.add(nursing)
    CreditDesignationFactory(course=skills, credit_type=CreditType.ANCC,
                             max_credits=Decimal("6.50"))
    everyone = _course("Grand rounds", format=Course.Format.RSS)
    CreditDesignationFactory(course=everyone)
    pharmacists = _course("Pharmacy update", target_professions=["pharmacist"])

    assert _titles(client.get(CATALOG, {"specialty": "nursing"})) == ["Nursing skills day"]
    assert _titles(client.get(CATALOG, {"format": "rss"})) == ["Grand rounds"]
    assert sorted(_titles(client.get(CATALOG, {"profession": "nurse"}))) == [
        "Grand rounds", "Nursing skills day"]
    assert _titles(client.get(CATALOG, {"credit_type": "ancc"})) == ["Nursing skills day"]
    EnrolmentFactory.create_batch(2, course=skills)
    assert sorted(_titles(client.get(CATALOG, {"has_free_seats": "on"}))) == [
        "Grand rounds", "Pharmacy update"]
    assert pharmacists.title in _titles(client.get(CATALOG))


def test_date_range_filter_finds_courses_with_a_session_in_the_range(client):
    _course("Next week", days=7)
    _course("Next month", days=35)
    soon = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert _titles(client.get(CATALOG, {"starts_from": soon, "starts_until": later})) == [
        "Next week"]
    response = client.get(CATALOG, {"starts_from": later, "starts_until": soon})
    assert "Choose an end date on or after the start date." in response.content.decode()


def test_finished_courses_are_hidden_unless_asked_for(client):
    _course("Last year's course", days=-300)
    _course("Upcoming course", days=3)
    CourseFactory(title="Online module", format=Course.Format.ENDURING)
    assert _titles(client.get(CATALOG)) == ["Upcoming course", "Online module"]
    assert "Last year's course" in _titles(client.get(CATALOG, {"include_past": "on"}))


def test_sorts_by_next_date_title_and_credits(client):
    later = _course("Alpha", days=20)
    sooner = _course("Beta", days=2)
    CreditDesignationFactory(course=later, max_credits=Decimal("4.00"))
    CreditDesignationFactory(course=sooner, max_credits=Decimal("1.00"))
    assert _titles(client.get(CATALOG)) == ["Beta", "Alpha"]
    assert _titles(client.get(CATALOG, {"sort": "title"})) == ["Alpha", "Beta"]
    assert _titles(client.get(CATALOG, {"sort": "credits"})) == ["Alpha", "Beta"]


def test_catalog_paginates(client):
    for number in range(23):
        _course(f"Course {number:02d}", days=number + 1)
    first = client.get(CATALOG)
    second = client.get(CATALOG, {"page": 2})
    assert len(first.context["catalog"]["page"]) == 20
    assert _titles(second) == ["Course 20", "Course 21", "Course 22"]
    assert "Page 1 of 2" in first.content.decode()


def test_empty_results_suggest_removing_a_filter(client):
    _course("Grand rounds", format=Course.Format.RSS)
    response = client.get(CATALOG, {"format": "live", "q": "rounds"})
    body = response.content.decode()
    assert "No courses match." in body
    assert "Remove “Format: Live activity”" in body
    assert 'href="?q=rounds"' in body


def test_card_shows_format_next_date_in_viewer_zone_credits_and_seats(client, clinician):
    clinician.time_zone = "America/Los_Angeles"
    clinician.save()
    course = CourseFactory(title="Sim workshop", capacity=12)
    SessionFactory(course=course,
                   starts_at=datetime.datetime(2030, 3, 5, 13, 30, tzinfo=datetime.UTC),
                   ends_at=datetime.datetime(2030, 3, 5, 17, 30, tzinfo=datetime.UTC))
    CreditDesignationFactory(course=course, max_credits=Decimal("4.00"))
    CreditDesignationFactory(course=course, credit_type=CreditType.ANCC,
                             max_credits=Decimal("4.00"))
    EnrolmentFactory.create_batch(3, course=course)
    full = _course("Full course", capacity=1)
    EnrolmentFactory(course=full)
    client.force_login(clinician)
    body = client.get(CATALOG).content.decode()
    assert "Tue 5 Mar 2030, 05:30 PST" in body
    assert "4.00 AMA PRA Category 1 Credits™" in body
    assert "4.00 ANCC contact hours" in body
    assert "9 seats left" in body
    assert "Waitlist" in body


def test_course_page_shows_statements_disclosures_before_the_enrol_button(client, clinician):
    course = _course("Grand rounds", format=Course.Format.RSS)
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    DisclosureFactory(course=course, faculty=FacultyFactory(full_name="Ada Okafor"))
    relationship_disclosed(course=course, faculty=FacultyFactory(full_name="Sofia Alvarez"),
                           company="Cardiora", mitigated_by=UserFactory())
    client.force_login(clinician)
    body = client.get(course.get_absolute_url()).content.decode()
    statement = ("Teaching Hospital Center for CPD designates this live activity for a maximum "
                 "of 1.00 AMA PRA Category 1 Credit™. Physicians should claim only the credit "
                 "commensurate with the extent of their participation in the activity.")
    assert statement in body
    assert "no relevant financial relationships" in body
    assert "Consultant, Cardiora" in body
    assert "All relevant financial relationships have been mitigated." in body
    assert body.index("Cardiora") < body.index(">Enrol</button>")


def test_enduring_material_uses_the_enduring_designation_wording(client):
    course = CourseFactory(format=Course.Format.ENDURING)
    CreditDesignationFactory(course=course, max_credits=Decimal("2.00"))
    body = client.get(course.get_absolute_url()).content.decode()
    assert "designates this enduring material for a maximum of 2.00 AMA PRA" in body


@pytest.mark.parametrize(("setup", "label"), [
    ("open", ">Enrol</button>"),
    ("full", ">Join waitlist</button>"),
    ("approval", ">Request a place</button>"),
    ("enrolled", ">Cancel enrolment</button>"),
    ("waitlisted", ">Leave waitlist</button>"),
])
def test_primary_action_follows_the_clinicians_state(client, clinician, setup, label):
    course = _course("Workshop", capacity=1, approval_required=setup == "approval")
    if setup == "full":
        EnrolmentFactory(course=course)
    if setup == "enrolled":
        EnrolmentFactory(course=course, user=clinician)
    if setup == "waitlisted":
        EnrolmentFactory(course=course)
        EnrolmentFactory(course=course, user=clinician, status=Enrolment.Status.WAITLISTED,
                         waitlist_position=1)
    client.force_login(clinician)
    body = client.get(course.get_absolute_url()).content.decode()
    assert body.count('type="submit" class="button') == 1
    assert label in body


def test_anonymous_visitor_is_asked_to_sign_in_to_enrol(client):
    course = _course("Workshop")
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Sign in to enrol" in body


def test_draft_course_page_is_hidden_from_clinicians_but_shown_to_its_director(
        client, clinician, educator):
    course = _course("Draft", status=Course.Status.DRAFT, directors=[educator])
    client.force_login(clinician)
    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(educator)
    assert client.get(course.get_absolute_url()).status_code == 200


def test_course_calendar_download_lists_its_sessions(client):
    course = _course("Workshop")
    response = client.get(reverse("courses:course_calendar", args=[course.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_catalog_text_search_falls_back_to_substring_on_sqlite(monkeypatch):
    from courses.selectors import catalog

    monkeypatch.setattr(catalog.connection, "vendor", "sqlite")
    _course("Delirium on the wards")
    _course("Airway drills")
    assert [c.title for c in catalog.course_catalog_list(q="delir")] == ["Delirium on the wards"]


def test_other_users_are_unaffected_by_a_clinicians_enrolment_on_the_card(client):
    course = _course("Workshop", capacity=5)
    EnrolmentFactory(course=course, user=UserFactory())
    assert "4 seats left" in client.get(CATALOG).content.decode()


def test_course_page_lists_upcoming_sessions_and_folds_earlier_ones(client):
    course = _course("Grand rounds", days=7, format=Course.Format.RSS)
    SessionFactory(course=course, title="Last week",
                   starts_at=timezone.now() - datetime.timedelta(days=7),
                   ends_at=timezone.now() - datetime.timedelta(days=7, hours=-1))
    body = client.get(course.get_absolute_url()).content.decode()
    assert "1 earlier session" in body
    assert body.index("<details") < body.index("Last week")
