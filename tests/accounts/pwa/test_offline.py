"""The server side of the installable app: the manifest, the service worker script, the pages
kept for offline reading, actions sent from the phone's queue at their recorded time (bounded)
and counted once however often they arrive, and the headers that keep private pages out of
caches."""
import datetime
import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.pwa.recorded import recorded_at
from credits.drills.models import DrillAnswer, DrillDelivery
from credits.drills.services import drill_deliveries_scan, drill_join
from credits.models import Attendance
from credits.online.models import LessonView
from credits.online.services import module_start
from tests.credits.drills.helpers import make_drill, right_option
from tests.credits.online.helpers import enrol, make_module
from tests.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 7, 14, 0, tzinfo=datetime.UTC)


def _queued(minutes_ago: float, now=None) -> dict:
    moment = (now or timezone.now()) - datetime.timedelta(minutes=minutes_ago)
    return {"HTTP_X_RECORDED_AT": moment.isoformat()}


@pytest.mark.parametrize(("header", "expected"), [
    ("", NOW),
    ("not a time", NOW),
    ("2026-12-07T13:00:00", NOW),  # no offset: not believed
    ("2026-12-07T13:00:00+00:00", NOW - datetime.timedelta(hours=1)),
    ("2026-12-07T11:00:00+00:00", NOW - datetime.timedelta(hours=3)),  # the bound itself
    ("2026-12-07T10:59:00+00:00", NOW),  # older than the bound: counts at arrival
    ("2026-12-07T14:05:00+00:00", NOW),  # in the future: now
])
def test_the_recorded_time_is_believed_only_inside_the_bound(header, expected):
    request = RequestFactory().post("/", HTTP_X_RECORDED_AT=header)
    assert recorded_at(request, now=NOW) == expected


def test_the_manifest_starts_at_my_learning_with_icons_and_shortcuts(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"].startswith(reverse("learning:my_learning"))
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#1a4f8b"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"),
        ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert [(s["name"], s["url"]) for s in manifest["shortcuts"]] == [
        ("Check in", reverse("attendance:checkin")), ("Today's drill", reverse("drills:today"))]


def test_the_service_worker_is_served_at_the_root_and_checked_for_updates(client):
    response = client.get("/sw.js")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '"/static/vendor/workbox/workbox-background-sync.prod.js"' in body
    assert '"/educator/"' in body and '"/admin/"' in body  # never kept offline


def test_staff_pages_are_never_stored_and_sign_out_clears_the_phone(client, educator,
                                                                   clinician):
    client.force_login(educator)
    staff = client.get(reverse("educator:my_courses"))
    assert "no-store" in staff["Cache-Control"]
    client.force_login(clinician)
    assert "no-store" not in client.get(reverse("learning:my_learning")).get(
        "Cache-Control", "")
    signed_out = client.post(reverse("account_logout"))
    assert signed_out["Clear-Site-Data"] == '"cache", "storage"'


@pytest.fixture
def started_module(clinician):
    course = make_module(lessons=2, questions=0)
    enrol(clinician, course)
    module_start(user=clinician, course=course)
    return course


def test_pages_kept_offline_are_the_learners_own_and_keeping_them_is_not_reading(
        client, clinician, started_module):
    drill = make_drill(questions=2, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    drill_join(user=clinician, course=drill)
    drill_deliveries_scan(now=timezone.now())
    client.force_login(clinician)

    urls = client.get(reverse("learning:offline_pages")).json()["urls"]

    lessons = list(started_module.lessons.all())
    delivery = DrillDelivery.objects.first()
    assert {reverse("learning:my_learning"), reverse("attendance:checkin"),
            reverse("drills:drill", args=[drill.slug]),
            reverse("drills:delivery", args=[drill.slug, delivery.pk]),
            *(reverse("online:lesson", args=[started_module.slug, lesson.pk])
              for lesson in lessons)} <= set(urls)
    client.get(urls[2], HTTP_X_OFFLINE_WARM="1")
    assert not LessonView.objects.exists()
    assert client.get(reverse("drills:today")).url == reverse(
        "drills:delivery", args=[drill.slug, delivery.pk])


def test_a_lesson_read_offline_counts_once_at_the_time_it_was_read(client, clinician,
                                                                  started_module):
    lesson = started_module.lessons.first()
    client.force_login(clinician)
    url = reverse("online:lesson_read", args=[started_module.slug, lesson.pk])
    headers = _queued(40)
    for _ in range(2):  # sent, the answer lost, sent again
        assert client.post(url, **headers).status_code == 204
    view = LessonView.objects.get()
    assert view.first_viewed_at.isoformat() == headers["HTTP_X_RECORDED_AT"]


def test_a_drill_answer_sent_twice_from_the_queue_counts_once_when_it_was_chosen(
        client, clinician):
    drill = make_drill(questions=1, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    drill_join(user=clinician, course=drill)
    drill_deliveries_scan(now=timezone.now() - datetime.timedelta(hours=1))
    delivery = DrillDelivery.objects.get()
    client.force_login(clinician)
    url = reverse("drills:delivery", args=[drill.slug, delivery.pk])
    headers = _queued(20)
    for _ in range(2):
        client.post(url, {"option": right_option(delivery.question_id).pk}, **headers)
    answer = DrillAnswer.objects.get()
    assert answer.answered_at.isoformat() == headers["HTTP_X_RECORDED_AT"]


def _closed_session(clinician, minutes_since_closing: int):
    # Check-in closes 120 minutes after the end.
    ends = timezone.now() - datetime.timedelta(minutes=120 + minutes_since_closing)
    session = SessionFactory(starts_at=ends - datetime.timedelta(hours=1), ends_at=ends)
    EnrolmentFactory(user=clinician, course=session.course)
    return session


def test_a_code_typed_offline_inside_the_window_checks_in_when_it_arrives_after(
        client, clinician):
    session = _closed_session(clinician, minutes_since_closing=5)
    client.force_login(clinician)
    headers = _queued(30)
    for _ in range(2):
        response = client.post(reverse("attendance:checkin"), {"code": session.checkin_code},
                               **headers)
        assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at.isoformat() == headers["HTTP_X_RECORDED_AT"]


def test_a_recorded_time_beyond_the_bound_is_not_believed_and_the_refusal_waits(
        client, clinician):
    session = _closed_session(clinician, minutes_since_closing=5)
    client.force_login(clinician)
    client.post(reverse("attendance:checkin"), {"code": session.checkin_code}, **_queued(190))
    assert not Attendance.objects.exists()
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "closed at" in page  # the refusal, on the learner's next page
