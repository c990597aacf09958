"""Publishing rules: recurring series, session times, credit designations, disclosures, submit."""
import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OutgoingMessage
from accounts.roles import Role
from courses.models import Course, Session
from courses.services import publishing, review
from courses.services.publishing import SeriesRule, series_occurrences
from tests.factories import (
    CreditDesignationFactory,
    DraftCourseFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
    course_ready_for_review,
    relationship_disclosed,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


def _utc(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def _message(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Recurring series -------------------------------------------------------------------------

def test_weekly_series_keeps_its_wall_clock_time_across_the_end_of_daylight_saving_time():
    # US daylight saving time ends on Sunday 1 November 2026.
    rule = SeriesRule(weekdays=(1,), start_time=datetime.time(7, 30),
                      end_time=datetime.time(8, 30), first_date=datetime.date(2026, 10, 20),
                      time_zone="America/New_York", count=10)
    occurrences = series_occurrences(rule)
    assert len(occurrences) == 10
    local = [(start.astimezone(NEW_YORK), end.astimezone(NEW_YORK)) for start, end in occurrences]
    assert all(start.weekday() == 1 for start, _ in local)
    assert all((start.time(), end.time()) == (datetime.time(7, 30), datetime.time(8, 30))
               for start, end in local)
    assert [start.date() for start, _ in local][:3] == [
        datetime.date(2026, 10, 20), datetime.date(2026, 10, 27), datetime.date(2026, 11, 3)]
    # The same wall-clock time is a different instant once the clocks go back.
    assert occurrences[1][0] == _utc(2026, 10, 27, 11, 30)
    assert occurrences[2][0] == _utc(2026, 11, 3, 12, 30)


def test_series_on_two_weekdays_every_other_week_until_a_date():
    rule = SeriesRule(weekdays=(3, 0), start_time=datetime.time(12), end_time=datetime.time(13),
                      first_date=datetime.date(2027, 1, 6), time_zone="America/Chicago",
                      interval_weeks=2, until=datetime.date(2027, 2, 1))
    days = [start.astimezone(zoneinfo.ZoneInfo("America/Chicago")).date()
            for start, _ in series_occurrences(rule)]
    # Wed 6 Jan starts mid-week: Monday 4 Jan is before it; then every other week.
    assert days == [datetime.date(2027, 1, 7), datetime.date(2027, 1, 18),
                    datetime.date(2027, 1, 21), datetime.date(2027, 2, 1)]


def test_series_refuses_a_time_skipped_when_the_clocks_go_forward():
    rule = SeriesRule(weekdays=(6,), start_time=datetime.time(2, 30), end_time=datetime.time(3, 30),
                      first_date=datetime.date(2027, 3, 7), time_zone="America/New_York", count=2)
    with pytest.raises(ValidationError) as excinfo:
        series_occurrences(rule)
    assert "02:30 does not exist on Sun 14 Mar 2027" in _message(excinfo)


def test_series_that_ends_before_it_starts_is_refused_with_both_times():
    rule = SeriesRule(weekdays=(1,), start_time=datetime.time(8, 30), end_time=datetime.time(7, 30),
                      first_date=datetime.date(2027, 1, 5), time_zone="America/New_York", count=3)
    with pytest.raises(ValidationError) as excinfo:
        series_occurrences(rule)
    assert excinfo.value.message_dict == {
        "end_time": ["A session must end after it starts: 08:30 to 07:30 ends first."]}


def test_series_needs_a_count_or_an_end_date():
    rule = SeriesRule(weekdays=(1,), start_time=datetime.time(7), end_time=datetime.time(8),
                      first_date=datetime.date(2027, 1, 5), time_zone="America/New_York")
    with pytest.raises(ValidationError, match="number of sessions or an end date"):
        series_occurrences(rule)


def test_series_creates_sessions_with_faculty_on_every_one(educator):
    course = DraftCourseFactory(directors=[educator])
    faculty = FacultyFactory()
    rule = SeriesRule(weekdays=(1,), start_time=datetime.time(7, 30),
                      end_time=datetime.time(8, 30), first_date=datetime.date(2026, 10, 20),
                      time_zone="America/New_York", count=10)
    sessions = publishing.session_series_create(course=course, editor=educator, rule=rule,
                                                location="Auditorium B", faculty=[faculty])
    assert len(sessions) == 10
    assert Session.objects.filter(course=course, faculty=faculty,
                                  location="Auditorium B").count() == 10


# --- Sessions ---------------------------------------------------------------------------------

def test_a_session_must_end_after_it_starts(educator):
    course = DraftCourseFactory(directors=[educator])
    with pytest.raises(ValidationError) as excinfo:
        publishing.session_create(course=course, editor=educator,
                                  starts_at=_utc(2027, 1, 5, 13), ends_at=_utc(2027, 1, 5, 12))
    assert "must end after it starts" in _message(excinfo)
    assert not course.sessions.exists()


def test_an_educator_who_does_not_direct_the_course_cannot_add_sessions(educator):
    course = DraftCourseFactory(directors=[UserFactory(roles=[Role.EDUCATOR])])
    with pytest.raises(ValidationError, match="Only a director"):
        publishing.session_create(course=course, editor=educator,
                                  starts_at=_utc(2027, 1, 5, 12), ends_at=_utc(2027, 1, 5, 13))


def test_faculty_join_a_published_course_session_only_with_a_disclosure(educator):
    course = course_ready_for_review(directors=[educator], status=Course.Status.PUBLISHED)
    newcomer = FacultyFactory(full_name="Lee Park")
    with pytest.raises(ValidationError) as excinfo:
        publishing.session_create(course=course, editor=educator, starts_at=_utc(2027, 1, 5, 12),
                                  ends_at=_utc(2027, 1, 5, 13), faculty=[newcomer])
    assert "before they join a session: Lee Park" in _message(excinfo)


def test_cancelled_sessions_no_longer_count_toward_the_hours(educator):
    course = DraftCourseFactory(directors=[educator])
    kept = SessionFactory(course=course)
    dropped = SessionFactory(course=course, starts_at=kept.starts_at + datetime.timedelta(days=1),
                             ends_at=kept.ends_at + datetime.timedelta(days=1))
    publishing.session_cancel(session=dropped, editor=educator)
    assert publishing.course_session_hours(course=course) == Decimal(1)


# --- Credit designations ----------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "allowed", "refused"), [
    (60, "1.00", "1.25"),
    (70, "1.25", "1.50"),  # 1h10 rounds to 1.25 (nearest quarter)
    (80, "1.25", "1.50"),  # 1h20 = 1.33 rounds to 1.25
])
def test_ama_designation_of_a_live_activity_is_capped_at_session_hours_rounded_to_a_quarter(
        educator, minutes, allowed, refused):
    course = DraftCourseFactory(directors=[educator], format=Course.Format.LIVE)
    session = SessionFactory(course=course)
    session.ends_at = session.starts_at + datetime.timedelta(minutes=minutes)
    session.save()
    with pytest.raises(ValidationError) as excinfo:
        publishing.designation_save(course=course, editor=educator, credit_type="ama_pra_1",
                                    max_credits=Decimal(refused))
    assert (f"{refused} AMA PRA Category 1 Credits™ is more than the {allowed} hours"
            in _message(excinfo))
    designation = publishing.designation_save(course=course, editor=educator,
                                              credit_type="ama_pra_1",
                                              max_credits=Decimal(allowed))
    assert designation.max_credits == Decimal(allowed)


def test_enduring_material_is_not_capped_by_session_hours(educator):
    course = DraftCourseFactory(directors=[educator], format=Course.Format.ENDURING)
    designation = publishing.designation_save(course=course, editor=educator,
                                              credit_type="ama_pra_1", max_credits=Decimal("2"))
    assert designation.pk


def test_credit_is_designated_in_quarter_steps(educator):
    course = DraftCourseFactory(directors=[educator], format=Course.Format.ENDURING)
    with pytest.raises(ValidationError) as excinfo:
        publishing.designation_save(course=course, editor=educator, credit_type="ancc",
                                    max_credits=Decimal("1.10"))
    assert excinfo.value.message_dict["max_credits"] == [
        "Designate credit in steps of 0.25 (for example 1.00, 1.25 or 1.50)."]


def test_acpe_credit_needs_a_well_formed_universal_activity_number(educator):
    course = DraftCourseFactory(directors=[educator], format=Course.Format.ENDURING)
    with pytest.raises(ValidationError, match="universal activity number"):
        publishing.designation_save(course=course, editor=educator, credit_type="acpe",
                                    max_credits=Decimal(1))
    with pytest.raises(ValidationError, match="A UAN looks like"):
        publishing.designation_save(course=course, editor=educator, credit_type="acpe",
                                    max_credits=Decimal(1), acpe_uan="12345")
    designation = publishing.designation_save(course=course, editor=educator, credit_type="acpe",
                                              max_credits=Decimal(1),
                                              acpe_uan="0000-9999-26-001-h01-p")
    assert designation.acpe_uan == "0000-9999-26-001-H01-P"


def test_credit_designations_are_locked_once_published(educator):
    course = course_ready_for_review(directors=[educator], status=Course.Status.PUBLISHED)
    with pytest.raises(ValidationError, match="only be changed while the course is a draft"):
        publishing.designation_save(course=course, editor=educator, credit_type="ancc",
                                    max_credits=Decimal(1))


# --- Disclosures ------------------------------------------------------------------------------

def test_listing_a_person_twice_in_the_same_role_is_refused(educator):
    course = DraftCourseFactory(directors=[educator])
    person = FacultyFactory(full_name="Ana Costa")
    publishing.disclosure_save(course=course, editor=educator, faculty=person, role="faculty")
    publishing.disclosure_save(course=course, editor=educator, faculty=person, role="planner")
    with pytest.raises(ValidationError, match="Ana Costa is already listed as faculty"):
        publishing.disclosure_save(course=course, editor=educator, faculty=person,
                                   role="faculty")


def test_listing_a_person_without_a_disclosure_emails_them_a_link_once(educator):
    course = DraftCourseFactory(directors=[educator])
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    publishing.disclosure_save(course=course, editor=educator, faculty=person, role="faculty")
    publishing.disclosure_save(course=course, editor=educator, faculty=person, role="planner")
    messages = OutgoingMessage.objects.filter(kind="disclosure_request")
    assert [m.recipient.email for m in messages] == ["sokafor@cardio.example"]
    assert messages.get().context["course_title"] == course.title


# --- Courses and submission -------------------------------------------------------------------

def test_course_slug_comes_from_the_title_and_is_unique(educator):
    first = publishing.course_create(director=educator, title="Sepsis: Update 2027",
                                     summary="What changed.")
    second = publishing.course_create(director=educator, title="Sepsis update 2027",
                                      summary="Again.")
    assert (first.slug, second.slug) == ("sepsis-update-2027", "sepsis-update-2027-2")
    assert list(first.directors.all()) == [educator]


def test_commercial_support_needs_the_supporters_named(educator):
    with pytest.raises(ValidationError) as excinfo:
        publishing.course_create(director=educator, title="Anticoagulation", summary="x",
                                 commercial_support=True)
    assert "commercial_supporters" in excinfo.value.message_dict


def test_a_co_director_may_edit_the_course(educator):
    co_director = UserFactory(roles=[Role.EDUCATOR])
    course = DraftCourseFactory(directors=[educator, co_director])
    publishing.course_update(course=course, editor=co_director, title="Renamed", summary="New",
                             co_directors=[educator])
    course.refresh_from_db()
    assert course.title == "Renamed"
    assert set(course.directors.all()) == {educator, co_director}


def test_a_course_without_sessions_cannot_be_submitted(educator):
    course = DraftCourseFactory(directors=[educator])
    with pytest.raises(ValidationError) as excinfo:
        review.course_submit(course=course, editor=educator)
    assert excinfo.value.messages[0] == ("This course cannot be submitted yet. "
                                         "Add at least one session.")
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT


def test_submission_lists_every_faculty_member_without_a_disclosure(educator):
    course = course_ready_for_review(directors=[educator])
    session = course.sessions.get()
    session.faculty.add(FacultyFactory(full_name="Zoe Hart"), FacultyFactory(full_name="Ben Ode"))
    with pytest.raises(ValidationError) as excinfo:
        review.course_submit(course=course, editor=educator)
    assert ("Everyone in control of content needs a current signed disclosure; missing or "
            "lapsed for Ben Ode, Zoe Hart." in _message(excinfo))


def test_unmitigated_relationships_block_submission(educator):
    course = DraftCourseFactory(directors=[educator])
    person = FacultyFactory(full_name="Ana Costa")
    SessionFactory(course=course, faculty=[person])
    CreditDesignationFactory(course=course)
    relationship_disclosed(course=course, faculty=person, company="Acme Pharma")
    with pytest.raises(ValidationError, match=r"Ana Costa \(Acme Pharma\)"):
        review.course_submit(course=course, editor=educator)


def test_a_complete_draft_is_submitted_for_review(educator):
    course = course_ready_for_review(directors=[educator])
    review.course_submit(course=course, editor=educator)
    course.refresh_from_db()
    assert course.status == Course.Status.IN_REVIEW
    assert course.submitted_at is not None


def test_a_course_in_review_cannot_be_edited(educator):
    course = course_ready_for_review(directors=[educator], status=Course.Status.IN_REVIEW)
    with pytest.raises(ValidationError, match="with the CME office for review"):
        publishing.course_update(course=course, editor=educator, title="x", summary="y")


def test_course_text_changes_refresh_the_catalog_search_vector(educator):
    course = publishing.course_create(director=educator, title="Sepsis update", summary="x")
    publishing.course_update(course=course, editor=educator, title="Delirium in the ICU",
                             summary="x")
    assert Course.objects.filter(pk=course.pk, search_vector="delirium").exists()
    assert not Course.objects.filter(pk=course.pk, search_vector="sepsis").exists()


@pytest.mark.django_db(transaction=True)
def test_courses_created_at_once_with_the_same_title_get_distinct_slugs(educator):
    import threading

    from django.db import connection

    barrier = threading.Barrier(4)
    slugs, errors = [], []

    def create():
        try:
            barrier.wait()
            slugs.append(publishing.course_create(director=educator, title="Grand rounds",
                                                  summary="x").slug)
        except Exception as exc:  # any failure is reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(slugs) == ["grand-rounds", "grand-rounds-2", "grand-rounds-3", "grand-rounds-4"]


def test_rescheduling_or_cancelling_a_published_session_tells_everyone_enrolled(educator):
    from accounts.models import OutgoingMessage
    from tests.factories import EnrolmentFactory

    course = course_ready_for_review(directors=[educator])
    course.status = Course.Status.PUBLISHED
    course.save()
    session = course.sessions.get()
    enrolled = EnrolmentFactory(course=course).user
    EnrolmentFactory(course=course, status="cancelled")

    later = session.starts_at + datetime.timedelta(days=1)
    publishing.session_update(session=session, editor=educator, starts_at=later,
                              ends_at=later + datetime.timedelta(hours=1),
                              faculty=session.faculty.all())
    publishing.session_update(session=session, editor=educator, starts_at=later,
                              ends_at=later + datetime.timedelta(hours=1),
                              location="Room 2", faculty=session.faculty.all())  # same times
    publishing.session_cancel(session=session, editor=educator)

    sent = OutgoingMessage.objects.order_by("pk").values_list("recipient", "kind")
    assert [(user, kind) for user, kind in sent if kind.startswith("session_")] == [
        (enrolled.pk, "session_rescheduled"), (enrolled.pk, "session_cancelled")]
