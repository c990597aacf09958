"""Session reminders and rescheduled/cancelled notices: due once, sent once, in the
recipient's time zone, honouring preferences."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import NotificationPreference, OutgoingMessage
from accounts.tasks import outgoing_message_batch_send
from courses.reminders import session_change_notify, session_reminders_due_record
from courses.tasks import session_reminders_tick
from tests.conftest import wait_for
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _session_in(delta, **kwargs):
    starts_at = timezone.now() + delta
    return SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
                          **kwargs)


def _send_everything_queued():
    ids = list(OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)
               .values_list("pk", flat=True))
    return outgoing_message_batch_send.apply(args=[ids]).get()


def test_enrolled_clinician_is_reminded_a_day_before_once_however_often_the_scan_runs(
        clinician):
    session = _session_in(datetime.timedelta(hours=23, minutes=30))
    EnrolmentFactory(user=clinician, course=session.course)

    session_reminders_due_record()
    session_reminders_due_record()

    reminder = OutgoingMessage.objects.get(recipient=clinician, kind="session_reminder")
    assert reminder.object_key == f"session:{session.pk}"
    assert reminder.occurrence.startswith("24h@")
    assert _send_everything_queued() == {"sent": 1, "skipped": 0, "failed": 0}
    session_reminders_due_record()
    assert _send_everything_queued() == {"sent": 0, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_an_hour_before_the_one_hour_reminder_is_due_and_not_a_second_day_before_one(clinician):
    session = _session_in(datetime.timedelta(minutes=50))
    EnrolmentFactory(user=clinician, course=session.course)
    session_reminders_due_record()
    assert list(OutgoingMessage.objects.values_list("occurrence", flat=True)) == [
        f"1h@{session.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%MZ}"]


def test_cancelled_sessions_waitlisted_people_and_distant_sessions_get_no_reminder(
        clinician, other_clinician):
    cancelled = _session_in(datetime.timedelta(hours=5), is_cancelled=True)
    EnrolmentFactory(user=clinician, course=cancelled.course)
    soon = _session_in(datetime.timedelta(hours=5))
    EnrolmentFactory(user=other_clinician, course=soon.course, status="waitlisted",
                     waitlist_position=1)
    distant = _session_in(datetime.timedelta(days=3))
    EnrolmentFactory(user=clinician, course=distant.course)
    session_reminders_due_record()
    assert not OutgoingMessage.objects.exists()


def test_reminder_shows_the_time_in_the_recipients_zone_with_absolute_links_and_unsubscribe(
        clinician, settings):
    settings.SITE_URL = "https://cpd.hospital.example"
    clinician.time_zone = "America/Los_Angeles"
    clinician.save()
    starts_at = (timezone.now() + datetime.timedelta(hours=20)).replace(second=0, microsecond=0)
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
                             course__title="Sepsis update", course__slug="sepsis-update")
    EnrolmentFactory(user=clinician, course=session.course)
    session_reminders_due_record()
    _send_everything_queued()

    email = mail.outbox[0]
    local = starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
    zone = local.tzname()
    assert f"{local:%H:%M}" in email.subject and zone in email.subject
    assert "Hello Priya Raman" in email.body
    assert "https://cpd.hospital.example/courses/sepsis-update/" in email.body
    html = email.alternatives[0][0]
    assert "https://cpd.hospital.example/courses/sepsis-update/" in html
    assert zone in html
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://cpd.hospital.example/accounts/notifications/"
                                  "unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in email.body
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in email.message().as_string()


def test_switching_session_reminders_off_records_the_reminder_as_skipped_and_sends_nothing(
        clinician, other_clinician):
    session = _session_in(datetime.timedelta(hours=10))
    EnrolmentFactory(user=clinician, course=session.course)
    EnrolmentFactory(user=other_clinician, course=session.course)
    NotificationPreference.objects.create(user=clinician, category="session_reminders",
                                          enabled=False)
    session_reminders_due_record()
    assert _send_everything_queued() == {"sent": 1, "skipped": 1, "failed": 0}
    assert OutgoingMessage.objects.get(recipient=clinician).status == "skipped"
    assert [m.to for m in mail.outbox] == [[other_clinician.email]]


def test_a_reschedule_notifies_everyone_enrolled_once_per_new_time(clinician, other_clinician,
                                                                   django_capture_on_commit_callbacks):
    session = _session_in(datetime.timedelta(days=10))
    EnrolmentFactory(user=clinician, course=session.course)
    EnrolmentFactory(user=other_clinician, course=session.course)
    EnrolmentFactory(user=UserFactory(), course=session.course, status="cancelled")

    session.starts_at += datetime.timedelta(days=1)
    session.ends_at += datetime.timedelta(days=1)
    session.save()
    with django_capture_on_commit_callbacks():
        session_change_notify(session=session, change="rescheduled")
        session_change_notify(session=session, change="rescheduled")
    assert OutgoingMessage.objects.filter(kind="session_rescheduled").count() == 2

    session.starts_at += datetime.timedelta(hours=2)
    session.ends_at += datetime.timedelta(hours=2)
    session.save()
    session_change_notify(session=session, change="rescheduled")
    assert OutgoingMessage.objects.filter(kind="session_rescheduled").count() == 4
    _send_everything_queued()
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("[CPD Portal] New time:") for m in mail.outbox)


def test_a_cancellation_notifies_everyone_enrolled(clinician):
    session = _session_in(datetime.timedelta(days=2))
    EnrolmentFactory(user=clinician, course=session.course)
    session.is_cancelled = True
    session.save()
    session_change_notify(session=session, change="cancelled")
    _send_everything_queued()
    assert "Cancelled:" in mail.outbox[0].subject
    assert "cancelled" in mail.outbox[0].body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_beat_tick_and_a_real_worker_deliver_a_session_reminder_once(celery_worker_process):
    clinician = UserFactory(full_name="Ana Lima", email="ana.lima@hospital.example")
    session = _session_in(datetime.timedelta(hours=23), title="Morning report")
    EnrolmentFactory(user=clinician, course=session.course)

    assert session_reminders_tick() == {"due": 1, "dispatched": 1}

    def reminder_sent():
        return OutgoingMessage.objects.filter(recipient=clinician, kind="session_reminder",
                                              status="sent").first()

    message = wait_for(reminder_sent)
    assert message.attempts == 1
    assert session_reminders_tick() == {"due": 1, "dispatched": 0}

    def mails_to_ana():
        return [path for path in celery_worker_process["mail_dir"].iterdir()
                if "To: ana.lima@hospital.example" in path.read_text()]

    try:
        wait_for(mails_to_ana)
        assert OutgoingMessage.objects.filter(recipient=clinician).count() == 1
        delivered = "".join(path.read_text() for path in mails_to_ana())
        assert delivered.count("To: ana.lima@hospital.example") == 1
        assert "Morning report" in delivered
    finally:
        # The worker's mail folder is shared by the session; other tests count its files.
        for path in mails_to_ana():
            path.unlink()
