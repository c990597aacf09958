"""The series coordinator's page and reminders on a ten-week series, its settings, a session's
plan, and copying the series forward a year."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from courses.models import Course
from credits.series import selectors, services
from credits.series.models import SeriesCopy, SessionPlan
from credits.series.selectors import business_days_before
from credits.series.tasks import series_missing_items_tick
from tests.credits.series.world import coordinator_user, speaker, ten_week_series

pytestmark = pytest.mark.django_db


def _ready(course, session, educator, name):
    speaker(course, session, name=name)
    services.session_plan_save(session=session, actor=educator,
                               objectives="Apply the hour-1 sepsis bundle")


def test_business_days_skip_the_weekend():
    tuesday = datetime.date(2027, 3, 9)
    assert business_days_before(tuesday, 5) == datetime.date(2027, 3, 2)
    assert business_days_before(datetime.date(2027, 3, 8), 1) == datetime.date(2027, 3, 5)


def test_the_coordinator_sees_what_each_session_lacks_and_is_reminded_once(client, educator):
    grace = coordinator_user()
    course, sessions = ten_week_series(educator, coordinator=grace)
    _ready(course, sessions[0], educator, "Dr Ana Souza")
    speaker(course, sessions[1], signed=False, name="Dr Ben Cole")  # no disclosure
    services.session_plan_save(session=sessions[1], actor=educator, objectives="Stage AKI")
    speaker(course, sessions[2], relationship=("Vertex Pharma", "consultant"),
            name="Dr Chloe Diaz")  # disclosed, not mitigated
    services.session_plan_save(
        session=sessions[2], actor=educator, objectives="",
        slides=SimpleUploadedFile("anticoagulation.pdf", b"%PDF-1.7 slides"))
    # sessions[3:] have no speaker and no objectives yet.

    rows = selectors.upcoming_sessions(course=course)
    assert [row.missing for row in rows[:4]] == [
        [], ["Disclosure signed and mitigated"], ["Disclosure signed and mitigated"],
        ["Speaker", "Slides or objectives"]]
    assert len(rows) == 10

    client.force_login(grace)
    page = client.get(reverse("series:coordinator", args=[course.pk])).text
    assert "Grace Okafor" in page and page.count("badge-done") == 1
    assert "Copy this series to next year" not in page  # the directors' decision

    # Five business days ahead: this week's session is due, next week's not yet.
    # Today (the first session is at most a week away): it is due and ready; the second is
    # not due yet.
    assert services.series_missing_items_remind(now=timezone.now()) == 0
    now = sessions[1].starts_at - datetime.timedelta(days=3)
    assert services.series_missing_items_remind(now=now) == 1
    assert services.series_missing_items_remind(now=now) == 0  # once each
    for later in sessions[2:4]:  # a week on, the next one
        now = later.starts_at - datetime.timedelta(days=3)
        assert services.series_missing_items_remind(now=now) == 1
    reminders = OutgoingMessage.objects.filter(kind="series_missing_items")
    assert set(reminders.values_list("recipient", flat=True)) == {grace.pk}
    assert sorted(reminders.values_list("object_key", flat=True)) == sorted(
        f"session:{s.pk}" for s in sessions[1:4])
    assert reminders.get(object_key=f"session:{sessions[3].pk}").context["missing"] == [
        "Speaker", "Slides or objectives"]

    # The beat tick at today's date: nothing further is due (the series starts next week).
    assert series_missing_items_tick.apply().get()["reminders"] == 0


def test_without_a_coordinator_the_directors_are_reminded(educator):
    course, sessions = ten_week_series(educator, weeks=1)
    now = sessions[0].starts_at - datetime.timedelta(days=1)
    assert services.series_missing_items_remind(now=now) == 1
    assert OutgoingMessage.objects.get(kind="series_missing_items").recipient == educator


@pytest.mark.parametrize("weeks", [3, 10])
def test_the_coordinator_page_reads_in_fixed_queries(client, educator, weeks,
                                                     django_assert_num_queries):
    course, sessions = ten_week_series(educator, weeks=weeks)
    for index, session in enumerate(sessions):
        _ready(course, session, educator, f"Dr Speaker {index}")
    client.force_login(educator)
    client.get(reverse("series:coordinator", args=[course.pk]))
    with django_assert_num_queries(17):
        response = client.get(reverse("series:coordinator", args=[course.pk]))
    assert response.text.count("badge-done") == weeks


def test_the_director_names_the_coordinator_and_the_lead_time(client, educator):
    grace = coordinator_user()
    course, sessions = ten_week_series(educator, weeks=2)
    client.force_login(educator)
    url = reverse("series:settings", args=[course.pk])
    response = client.post(url, {"coordinator_email": "nobody@hospital.example",
                                 "lead_business_days": 5, "late_claims_per_year": 2})
    assert "Nobody with this email" in response.text
    response = client.post(url, {"coordinator_email": grace.email.upper(),
                                 "lead_business_days": 10, "late_claims_per_year": 3})
    assert response.status_code == 302
    course.coordination.refresh_from_db()
    assert (course.coordination.coordinator, course.coordination.lead_business_days,
            course.coordination.late_claims_per_year) == (grace, 10, 3)
    # Ten business days ahead, next week's session is due already.
    now = sessions[1].starts_at - datetime.timedelta(days=8)
    assert services.series_missing_items_remind(now=now) == 2


def test_slides_of_another_kind_are_refused(client, educator):
    course, sessions = ten_week_series(educator, weeks=1)
    client.force_login(educator)
    response = client.post(reverse("series:session_plan", args=[course.pk, sessions[0].pk]),
                           {"objectives": "", "slides": SimpleUploadedFile(
                               "talk.exe", b"MZ")})
    assert response.status_code == 200 and "File extension" in response.text
    assert not SessionPlan.objects.exists()


def test_copying_forward_keeps_designations_faculty_and_weekday_once_a_year(client, educator):
    grace = coordinator_user()
    course, sessions = ten_week_series(educator, coordinator=grace)
    ana = speaker(course, sessions[0])
    sessions[9].is_cancelled = True
    sessions[9].save()
    client.force_login(educator)
    response = client.post(reverse("series:copy_forward", args=[course.pk]))
    copy = SeriesCopy.objects.get(source=course)
    assert response.status_code == 302 and response.url == reverse(
        "series:coordinator", args=[copy.copy_id])
    new = copy.copy
    first_year = sessions[0].starts_at.year
    assert copy.year == first_year + 1
    assert new.status == Course.Status.DRAFT and new.format == Course.Format.RSS
    assert new.title == course.title.replace(str(first_year), str(first_year + 1)) or \
        new.title.endswith(f"({first_year + 1})")
    assert [(d.credit_type, d.max_credits) for d in new.credit_designations.all()] == [
        (d.credit_type, d.max_credits) for d in course.credit_designations.all()]
    new_sessions = list(new.sessions.order_by("starts_at"))
    assert len(new_sessions) == 9
    for old, moved in zip(sessions, new_sessions, strict=False):
        assert moved.starts_at - old.starts_at == datetime.timedelta(weeks=52)
        assert moved.starts_at.weekday() == old.starts_at.weekday()
        assert moved.title == old.title
    assert list(new_sessions[0].faculty.all()) == [ana]
    assert new.disclosures.filter(faculty=ana).exists()
    assert list(new.directors.all()) == [educator]
    assert new.coordination.coordinator == grace

    response = client.post(reverse("series:copy_forward", args=[course.pk]), follow=True)
    assert f"already copied to {first_year + 1}" in response.text
    assert SeriesCopy.objects.count() == 1
    assert Course.objects.filter(format=Course.Format.RSS).count() == 2


def test_a_coordinator_may_not_copy_or_change_settings(client, educator):
    grace = coordinator_user()
    course, _sessions = ten_week_series(educator, coordinator=grace, weeks=1)
    client.force_login(grace)
    assert client.post(reverse("series:copy_forward", args=[course.pk])).status_code == 404
    assert client.get(reverse("series:settings", args=[course.pk])).status_code == 404
