"""The waitlist moves whenever a seat frees: a raised capacity, a cancelled place, or a course
director removing a place; in order, once, with the promotion email."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import OutgoingMessage, User
from accounts.roles import Role
from courses.models import Enrolment
from courses.services import publishing
from courses.services.enrolment import enrolment_cancel, enrolment_create
from tests.factories import CourseFactory, SessionFactory, UserFactory


def _course(*, capacity, directors=()):
    course = CourseFactory(capacity=capacity, directors=list(directors))
    SessionFactory(course=course)
    return course


def _fill(course, names):
    return [enrolment_create(user=UserFactory(full_name=name, email=f"{name.lower()}@h.example"),
                             course=course) for name in names]


def _promoted_names(course):
    return sorted(OutgoingMessage.objects.filter(kind="enrolment_promoted",
                                                 recipient__enrolments__course=course)
                  .values_list("recipient__full_name", flat=True))


def _waitlist(course):
    return [(e.user.full_name, e.waitlist_position) for e in course.enrolments.filter(
        status=Enrolment.Status.WAITLISTED).select_related("user").order_by("waitlist_position")]


@pytest.mark.django_db
def test_raising_a_published_courses_capacity_promotes_the_waitlist_in_order(educator):
    course = _course(capacity=1, directors=[educator])
    _fill(course, ["Seat", "Wone", "Wtwo", "Wthree"])
    publishing.course_update(course=course, editor=educator, title=course.title,
                             summary=course.summary, capacity=3)
    assert _waitlist(course) == [("Wthree", 1)]
    assert _promoted_names(course) == ["Wone", "Wtwo"]
    # Saving again with the same capacity promotes (and emails) nobody twice.
    publishing.course_update(course=course, editor=educator, title=course.title,
                             summary=course.summary, capacity=3)
    assert _promoted_names(course) == ["Wone", "Wtwo"]


@pytest.mark.django_db
def test_removing_the_seat_limit_promotes_everyone_waiting(educator):
    course = _course(capacity=1, directors=[educator])
    _fill(course, ["Seat", "Wone", "Wtwo"])
    publishing.course_update(course=course, editor=educator, title=course.title,
                             summary=course.summary, capacity=None)
    assert _waitlist(course) == []
    assert course.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 3


@pytest.mark.django_db
def test_a_director_removing_a_place_gives_it_to_the_first_on_the_waitlist(client, educator):
    course = _course(capacity=1, directors=[educator])
    seat, first, second = _fill(course, ["Seat", "Wone", "Wtwo"])
    client.force_login(educator)
    page = client.get(reverse("courses:enrolments", args=[course.pk])).text
    assert "Remove place" in page
    response = client.post(reverse("courses:enrolment_decision", args=[course.pk, seat.pk]),
                           {"decision": "remove"}, follow=True)
    assert "place removed" in response.text
    seat.refresh_from_db()
    first.refresh_from_db()
    assert seat.status == Enrolment.Status.CANCELLED
    assert first.status == Enrolment.Status.ENROLLED
    assert _waitlist(course) == [("Wtwo", 1)]
    assert _promoted_names(course) == ["Wone"]
    assert OutgoingMessage.objects.filter(recipient=seat.user,
                                          kind="enrolment_cancelled").count() == 1


@pytest.mark.django_db
def test_an_educator_who_does_not_direct_the_course_cannot_remove_a_place(client, educator):
    course = _course(capacity=1)
    [seat] = _fill(course, ["Seat"])
    client.force_login(educator)
    response = client.post(reverse("courses:enrolment_decision", args=[course.pk, seat.pk]),
                           {"decision": "remove"})
    assert response.status_code == 404
    seat.refresh_from_db()
    assert seat.status == Enrolment.Status.ENROLLED


SEATED, WAITING, THREADS = 4, 30, 8


@pytest.mark.django_db(transaction=True)
def test_capacity_raise_cancellations_and_new_enrolments_racing_promote_each_person_once():
    director = UserFactory(full_name="Marcus Lee", email="marcus@h.example",
                           roles=[Role.CLINICIAN, Role.EDUCATOR])
    course = _course(capacity=SEATED, directors=[director])
    enrolments = _fill(course, [f"Seat{n}" for n in range(SEATED)]
                       + [f"Wait{n:02d}" for n in range(WAITING)])
    newcomers = User.objects.bulk_create(User(email=f"new{n}@h.example", full_name=f"New{n}")
                                         for n in range(10))

    def run(job):
        try:
            job()
        finally:
            connection.close()

    jobs = [lambda: publishing.course_update(course=course, editor=director, title=course.title,
                                             summary=course.summary, capacity=SEATED + 6)]
    jobs += [lambda e=e: enrolment_cancel(enrolment=e, by=e.user) for e in enrolments[:SEATED]]
    jobs += [lambda u=u: enrolment_create(user=u, course=course) for u in newcomers]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(run, jobs))

    enrolled = course.enrolments.filter(status=Enrolment.Status.ENROLLED)
    assert enrolled.count() == SEATED + 6
    # The 4 freed seats and 6 new ones went to the first 10 waiting, in order; newcomers queue.
    assert sorted(enrolled.values_list("user__full_name", flat=True)) == [
        f"Wait{n:02d}" for n in range(10)]
    positions = [position for _name, position in _waitlist(course)]
    assert positions == list(range(1, WAITING - 10 + len(newcomers) + 1))
    promoted = OutgoingMessage.objects.filter(kind="enrolment_promoted")
    assert promoted.count() == 10
    assert promoted.values("recipient").distinct().count() == 10
