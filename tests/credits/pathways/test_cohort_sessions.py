"""A cohort's own live sessions: only its members see them and enrol in them, in every reader
of sessions (the course page cached and uncached, the calendars, reminders, the catalog's next
date and the API's catalog, check-in, My learning); the office and the course's directors see
them marked; the member's pathway page shows them beside the step."""
import datetime
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import OutgoingMessage
from accounts.roles import Role
from courses.calendar import session_uid
from courses.models import Course, Enrolment, Session
from courses.reminders import session_reminders_due_record
from courses.services.calendar_feed import calendar_feed_regenerate
from credits.attendance.models import Attendance
from credits.pathways.applications import cohort_create
from credits.pathways.cohort_sessions import cohort_session_create, cohort_session_keep
from credits.pathways.models import CohortSession, Pathway, Step
from credits.pathways.services import (
    pathway_assign,
    pathway_create,
    pathway_version_publish,
    step_add,
    step_group_add,
)
from credits.virtual.models import VirtualMeeting
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

KEPT_TITLE = "Residency skills day: central lines"
KEPT_PLACE = "Simulation centre, level 2"


@dataclass
class World:
    course: Course
    pathway: Pathway
    public: Session
    kept: Session
    member: object
    outsider: object


def _at(days: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def _world(educator, *, kept_in_days: float = 10, public_in_days: float | None = 30) -> World:
    course = CourseFactory(title="Vascular access workshop")
    course.directors.add(educator)
    public = (SessionFactory(course=course, title="Open workshop", location="Room 4",
                             starts_at=_at(public_in_days),
                             ends_at=_at(public_in_days) + datetime.timedelta(hours=2))
              if public_in_days is not None else None)
    pathway = pathway_create(created_by=educator, title="New graduate nurse residency",
                             summary="The first three months on a unit.",
                             entry=Pathway.Entry.ASSIGNED)
    core = step_group_add(version=pathway.versions.get(), title="Core")
    step_add(group=core, kind=Step.Kind.LIVE_COURSE, course=course, due_days_after_start=14)
    pathway_version_publish(version=pathway.versions.get())
    pathway.refresh_from_db()
    cohort = cohort_create(pathway=pathway, name="January 2027 hires",
                           starts_on=timezone.localdate())
    member = UserFactory(full_name="Amelia Chen", profession="nurse", specialty="Residency")
    pathway_assign(pathway=pathway, target="specialty", target_value="Residency", cohort=cohort)
    link = cohort_session_create(cohort=cohort, course=course, by=educator,
                                 starts_at=_at(kept_in_days),
                                 ends_at=_at(kept_in_days) + datetime.timedelta(hours=3),
                                 title=KEPT_TITLE, location=KEPT_PLACE)
    outsider = UserFactory(full_name="Omar Haddad")
    return World(course=course, pathway=pathway, public=public, kept=link.session,
                 member=member, outsider=outsider)


def _events(response) -> set[str]:
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


# --- The course page -----------------------------------------------------------------------------

def test_course_page_shows_the_cohort_session_to_its_members_only_cached_or_not(
        client, educator, admin_user):
    world = _world(educator)
    url = world.course.get_absolute_url()
    for _ in range(2):  # built, then from the cache
        anonymous = client.get(url).content.decode()
        assert "Open workshop" in anonymous
        assert KEPT_TITLE not in anonymous and KEPT_PLACE not in anonymous
    client.force_login(world.outsider)
    for _ in range(2):
        page = client.get(url).content.decode()
        assert "Open workshop" in page and KEPT_TITLE not in page and "January 2027" not in page
    client.force_login(world.member)
    for _ in range(2):
        page = client.get(url).content.decode()
        assert KEPT_TITLE in page and KEPT_PLACE in page
        assert "Cohort: January 2027 hires" in page
    for staff in (educator, admin_user):  # the course's director, the CME office
        client.force_login(staff)
        page = client.get(url).content.decode()
        assert KEPT_TITLE in page and "Cohort: January 2027 hires" in page


def test_a_learner_added_to_the_cohort_sees_its_session_on_a_page_cached_before(client,
                                                                              educator):
    world = _world(educator)
    late_joiner = UserFactory(profession="nurse", specialty="Residency-late")
    client.force_login(late_joiner)
    assert KEPT_TITLE not in client.get(world.course.get_absolute_url()).content.decode()
    pathway_assign(pathway=world.pathway, target="specialty", target_value="Residency-late",
                   cohort=world.kept.cohort_link.cohort)
    assert KEPT_TITLE in client.get(world.course.get_absolute_url()).content.decode()


def test_a_session_kept_after_the_public_page_was_cached_disappears_from_it(client, educator):
    world = _world(educator)
    other = SessionFactory(course=world.course, title="Evening workshop", starts_at=_at(20),
                           ends_at=_at(20) + datetime.timedelta(hours=1))
    assert "Evening workshop" in client.get(world.course.get_absolute_url()).content.decode()
    cohort_session_keep(cohort=world.kept.cohort_link.cohort, session=other, by=educator)
    assert "Evening workshop" not in client.get(world.course.get_absolute_url()).content.decode()


# --- Enrolment -----------------------------------------------------------------------------------

def test_only_members_enrol_in_a_course_whose_only_session_is_their_cohorts(client, educator):
    world = _world(educator, public_in_days=None)
    enrol = reverse("courses:enrol", args=[world.course.slug])
    client.force_login(world.outsider)
    assert client.post(enrol).status_code == 404
    page = client.get(world.course.get_absolute_url()).content.decode()
    assert ">Enrol<" not in page and KEPT_TITLE not in page
    client.force_login(world.member)
    page = client.get(world.course.get_absolute_url()).content.decode()
    assert KEPT_TITLE in page and ">Enrol<" in page
    client.post(enrol)
    assert Enrolment.objects.get(user=world.member, course=world.course).status == "enrolled"
    assert not Enrolment.objects.filter(user=world.outsider).exists()


# --- Calendars -----------------------------------------------------------------------------------

def test_calendar_feeds_list_the_cohort_session_for_members_only(client, educator):
    world = _world(educator)
    for user in (world.member, world.outsider):
        EnrolmentFactory(user=user, course=world.course)
    member_feed = calendar_feed_regenerate(user=world.member)
    outsider_feed = calendar_feed_regenerate(user=world.outsider)
    assert _events(client.get(member_feed.get_absolute_url())) == {
        session_uid(world.public), session_uid(world.kept)}
    assert _events(client.get(outsider_feed.get_absolute_url())) == {session_uid(world.public)}
    course_ics = reverse("courses:course_calendar", args=[world.course.slug])
    assert _events(client.get(course_ics)) == {session_uid(world.public)}
    client.force_login(world.member)
    assert session_uid(world.kept) in _events(client.get(course_ics))


# --- Reminders -----------------------------------------------------------------------------------

def test_the_reminder_of_a_cohort_session_goes_to_its_members_only(educator):
    world = _world(educator, kept_in_days=23.5 / 24)
    for user in (world.member, world.outsider):
        EnrolmentFactory(user=user, course=world.course)
    session_reminders_due_record()
    reminded = set(OutgoingMessage.objects.filter(
        kind="session_reminder", object_key=f"session:{world.kept.pk}")
        .values_list("recipient_id", flat=True))
    assert reminded == {world.member.pk}


# --- The catalog and the API's catalog -----------------------------------------------------------

def test_the_catalog_and_the_api_show_the_public_next_date_not_the_cohorts(client, educator):
    world = _world(educator)
    world.course.refresh_from_db()
    assert world.course.next_session_starts_at == world.public.starts_at
    catalog = client.get(reverse("courses:catalog")).content.decode()
    assert "Vascular access workshop" in catalog
    assert f"{timezone.localtime(world.kept.starts_at):%-d %b}" not in catalog
    body = client.get("/api/v1/catalog", {"q": "Vascular"}).json()
    [item] = [item for item in body["results"] if item["title"] == "Vascular access workshop"]
    assert item["next_starts_at"].startswith(world.public.starts_at.isoformat()[:16])
    kept_day = timezone.localdate(world.kept.starts_at).isoformat()
    in_range = client.get("/api/v1/catalog", {"starts_from": kept_day,
                                              "starts_until": kept_day}).json()
    assert "Vascular access workshop" not in [item["title"] for item in in_range["results"]]


def test_a_course_whose_only_session_is_a_cohorts_is_not_open_in_the_catalog(client, educator):
    world = _world(educator, public_in_days=None)
    world.course.refresh_from_db()
    assert world.course.next_session_starts_at is None
    assert "Vascular access workshop" not in client.get(reverse("courses:catalog")).content.decode()


# --- Check-in ------------------------------------------------------------------------------------

def test_check_in_to_a_cohort_session_is_404_for_others_and_works_for_members(client, educator):
    world = _world(educator, kept_in_days=5 / (24 * 60))  # starts in five minutes
    for user in (world.member, world.outsider):
        EnrolmentFactory(user=user, course=world.course)
    scanned = reverse("attendance:checkin_scanned", args=[world.kept.checkin_code])
    client.force_login(world.outsider)
    assert client.get(scanned).status_code == 404
    assert client.post(scanned).status_code == 404
    typed = client.post(reverse("attendance:checkin"), {"code": world.kept.checkin_code})
    assert "is not the code of a session" in typed.content.decode()
    assert KEPT_TITLE not in typed.content.decode()
    client.force_login(world.member)
    assert KEPT_TITLE in client.get(scanned).content.decode()
    client.post(scanned)
    assert Attendance.objects.filter(user=world.member, session=world.kept,
                                     status=Attendance.Status.PRESENT).exists()
    assert not Attendance.objects.filter(user=world.outsider).exists()


# --- My learning and the pathway page ------------------------------------------------------------

def test_my_learning_lists_the_cohort_session_for_members_only(client, educator):
    world = _world(educator)
    for user in (world.member, world.outsider):
        EnrolmentFactory(user=user, course=world.course)
    client.force_login(world.member)
    assert KEPT_TITLE in client.get(reverse("learning:my_learning")).content.decode()
    client.force_login(world.outsider)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "Open workshop" in page and KEPT_TITLE not in page


def test_the_members_pathway_page_shows_the_cohort_session_beside_its_step(client, educator):
    world = _world(educator)
    client.force_login(world.member)
    page = client.get(reverse("pathways:pathway", args=[world.pathway.slug])).content.decode()
    assert "Your cohort&#x27;s session" in page or "Your cohort's session" in page
    assert KEPT_TITLE in page and KEPT_PLACE in page


# --- The office's page and the services ----------------------------------------------------------

def test_the_office_lists_and_marks_a_cohorts_sessions(client, educator, admin_user):
    world = _world(educator)
    cohort = world.kept.cohort_link.cohort
    url = reverse("pathways:cohort_sessions", args=[world.pathway.pk, cohort.pk])
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert KEPT_TITLE in page and "Open workshop" in page  # listed, and offered to mark
    response = client.post(reverse("pathways:cohort_session_mark",
                                   args=[world.pathway.pk, cohort.pk]),
                           {"session": world.public.pk})
    assert response.status_code == 302
    assert CohortSession.objects.filter(cohort=cohort).count() == 2
    world.course.refresh_from_db()
    assert world.course.next_session_starts_at is None


def test_a_director_adds_a_session_for_the_cohort_from_its_page(client, educator):
    world = _world(educator)
    cohort = world.kept.cohort_link.cohort
    client.force_login(educator)
    day = timezone.localdate() + datetime.timedelta(days=12)
    response = client.post(reverse("pathways:cohort_session_add",
                                   args=[world.pathway.pk, cohort.pk]),
                           {"course": world.course.pk, "date": day.isoformat(),
                            "start_time": "09:00", "end_time": "16:00",
                            "time_zone": educator.time_zone, "title": "Second skills day",
                            "location": "Simulation centre"})
    assert response.status_code == 302
    assert cohort.sessions.filter(session__title="Second skills day").exists()


def test_a_cohort_keeps_only_upcoming_sessions_of_its_pathways_live_courses(educator):
    world = _world(educator)
    cohort = world.kept.cohort_link.cohort
    with pytest.raises(ValidationError, match="kept for a cohort already"):
        cohort_session_keep(cohort=cohort, session=world.kept, by=educator)
    with pytest.raises(ValidationError, match="not a live course step"):
        cohort_session_keep(cohort=cohort, session=SessionFactory(), by=educator)
    started = SessionFactory(course=world.course, starts_at=_at(-1 / 24),
                             ends_at=_at(1 / 24))
    with pytest.raises(ValidationError, match="has started"):
        cohort_session_keep(cohort=cohort, session=started, by=educator)
    other_pathway_cohort = cohort_create(pathway=pathway_create(
        created_by=educator, title="Other", summary="Other.", entry=Pathway.Entry.ASSIGNED),
        name="Other cohort", starts_on=timezone.localdate())
    with pytest.raises(ValidationError, match="not a live course step"):
        cohort_session_keep(cohort=other_pathway_cohort, session=world.public, by=educator)


def test_an_educator_who_does_not_manage_the_pathway_gets_404_for_its_cohorts_sessions(
        client, educator):
    world = _world(educator)
    cohort = world.kept.cohort_link.cohort
    other_educator = UserFactory(roles=[Role.CLINICIAN, Role.EDUCATOR])
    Authenticator.objects.create(user=other_educator, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})  # staff sign in with MFA
    client.force_login(other_educator)
    url = reverse("pathways:cohort_sessions", args=[world.pathway.pk, cohort.pk])
    assert client.get(url).status_code == 404
    elsewhere = cohort_create(pathway=pathway_create(
        created_by=educator, title="Other", summary="Other.", entry=Pathway.Entry.ASSIGNED),
        name="Other cohort", starts_on=timezone.localdate())
    client.force_login(educator)
    assert client.get(reverse("pathways:cohort_sessions",
                              args=[world.pathway.pk, elsewhere.pk])).status_code == 404


def test_the_directors_course_workspace_marks_the_cohort_session(client, educator):
    world = _world(educator)
    client.force_login(educator)
    page = client.get(reverse("educator:course_overview", args=[world.course.pk]))
    assert "Cohort: January 2027 hires" in page.content.decode()


def test_the_join_link_of_a_cohort_session_is_404_for_others(client, educator):
    world = _world(educator)
    VirtualMeeting.objects.create(session=world.kept, provider="zoom", meeting_id="85012345678",
                                  join_url="https://zoom.example/j/85012345678",
                                  linked_by=educator)
    for user in (world.member, world.outsider):
        EnrolmentFactory(user=user, course=world.course)
    join = reverse("virtual:join", args=[world.kept.pk])
    client.force_login(world.outsider)
    assert client.get(join).status_code == 404
    client.force_login(world.member)
    assert client.get(join)["Location"] == "https://zoom.example/j/85012345678"
