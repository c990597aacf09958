"""500 clinicians race for 50 seats over real concurrent Postgres connections."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from accounts.models import User
from courses.models import Enrolment
from courses.services.enrolment import enrolment_create
from tests.factories import CourseFactory, SessionFactory

ATTEMPTS = 500
SEATS = 50
THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_500_concurrent_enrolments_fill_50_seats_and_a_contiguous_waitlist():
    course = CourseFactory(capacity=SEATS)
    SessionFactory(course=course)
    clinicians = User.objects.bulk_create(
        User(email=f"racer{n}@hospital.example", full_name=f"Racer {n}")
        for n in range(ATTEMPTS))

    def attempts(users):
        # Each thread has its own database connection, held for all its attempts.
        try:
            return [enrolment_create(user=user, course=course).status for user in users]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        batches = pool.map(attempts, [clinicians[n::THREADS] for n in range(THREADS)])
        statuses = [status for batch in batches for status in batch]

    assert statuses.count(Enrolment.Status.ENROLLED) == SEATS
    assert statuses.count(Enrolment.Status.WAITLISTED) == ATTEMPTS - SEATS
    enrolments = Enrolment.objects.filter(course=course)
    assert enrolments.filter(status=Enrolment.Status.ENROLLED).count() == SEATS
    positions = sorted(enrolments.filter(status=Enrolment.Status.WAITLISTED)
                       .values_list("waitlist_position", flat=True))
    assert positions == list(range(1, ATTEMPTS - SEATS + 1))
