"""Email preferences, the signed one-click unsubscribe (RFC 8058), and delivery through the
outgoing-message ledger: claims, batches given back when their worker stopped, Message-IDs,
retries with backoff, failures resent from the admin."""
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tasks as accounts_tasks
from accounts.checks import email_kind_templates_check
from accounts.models import NotificationPreference, OutgoingMessage
from accounts.notifications import (
    KINDS,
    Category,
    Kind,
    UnknownEmailKind,
    kind_category,
    unsubscribe_token,
)
from accounts.services import (
    outgoing_message_queue,
    outgoing_messages_dispatch,
    outgoing_messages_record,
    outgoing_messages_recover,
)
from accounts.tasks import (
    message_id,
    outgoing_message_batch_send,
    outgoing_message_batch_send_now,
    outgoing_message_claims_release,
)
from tests.conftest import email_tasks
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_kind():
    """Register a kind for one test only (the registry is process-wide)."""
    added = []

    def register(name, category=Category.ENROLMENT):
        KINDS[name] = Kind(name, category)
        added.append(name)

    yield register
    for name in added:
        KINDS.pop(name, None)


def _cancellation_context():
    session = SessionFactory()
    return {"session_title": "Sepsis update", "course_title": "Sepsis update",
            "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat(),
            "course_url": "http://127.0.0.1:8000/courses/sepsis/"}


def _unsubscribe_url(user, category=Category.SESSION_REMINDERS):
    return reverse("accounts:notifications_unsubscribe",
                   kwargs={"token": unsubscribe_token(user_id=user.pk, category=category)})


def _enabled(user, category):
    return not NotificationPreference.objects.filter(user=user, category=category,
                                                     enabled=False).exists()


def test_every_kind_other_areas_send_falls_in_a_category_and_account_emails_are_mandatory():
    assert kind_category("welcome") == Category.ACCOUNT
    assert kind_category("enrolment_confirmed") == Category.ENROLMENT
    assert kind_category("enrolment_promoted") == Category.ENROLMENT
    assert kind_category("certificate_ready") == Category.CERTIFICATES
    assert kind_category("course_returned") == Category.EDUCATOR_NOTICES
    with pytest.raises(UnknownEmailKind):
        kind_category("enrolment_something_new")


def test_an_unregistered_kind_is_refused_before_anything_is_recorded(clinician):
    with pytest.raises(UnknownEmailKind):
        outgoing_message_queue(recipient=clinician, kind="enrolment_something_new",
                               object_key="x:1")
    with pytest.raises(UnknownEmailKind):
        outgoing_messages_record(messages=[OutgoingMessage(
            recipient=clinician, kind="waitlist_promoted", object_key="x:1")])
    assert not OutgoingMessage.objects.exists()


def test_the_system_check_finds_a_registered_kind_without_templates(registered_kind):
    registered_kind("enrolment_without_templates")
    errors = email_kind_templates_check()
    assert [error.obj for error in errors] == ["enrolment_without_templates"] * 3
    KINDS.pop("enrolment_without_templates")
    assert email_kind_templates_check() == []


def test_preferences_page_switches_a_category_off_and_back_on(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("accounts:notifications"))
    assert page.status_code == 200
    assert "Session reminders" in page.text and "cannot be switched off" in page.text
    assert "educator_notices" not in page.context["form"].fields

    choices = {c: "on" for c in page.context["form"].fields if c != "session_reminders"}
    response = client.post(reverse("accounts:notifications"), choices)
    assert response.status_code == 302
    assert not _enabled(clinician, "session_reminders")
    assert _enabled(clinician, "enrolment")

    client.post(reverse("accounts:notifications"), {**choices, "session_reminders": "on"})
    assert _enabled(clinician, "session_reminders")


def test_unsubscribe_link_asks_on_get_and_switches_off_on_post_without_signing_in(clinician):
    browser = Client(enforce_csrf_checks=True)
    url = _unsubscribe_url(clinician)

    page = browser.get(url)
    assert page.status_code == 200
    assert "Session reminders" in page.text and 'method="post"' in page.text
    assert _enabled(clinician, "session_reminders")

    # What a mail client sends for RFC 8058 one-click: no cookies, no CSRF token.
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no longer receive" in response.text
    assert not _enabled(clinician, "session_reminders")
    assert _enabled(clinician, "enrolment")


@pytest.mark.parametrize("tamper", ["forged", "account", "other-salt"])
def test_unsubscribe_refuses_a_forged_or_mandatory_link_and_changes_nothing(client, clinician,
                                                                            tamper):
    from django.core import signing

    if tamper == "forged":
        url = _unsubscribe_url(clinician)[:-4] + "xyz/"
    elif tamper == "account":
        token = signing.dumps({"u": clinician.pk, "c": "account"},
                              salt="accounts.notifications.unsubscribe")
        url = reverse("accounts:notifications_unsubscribe", kwargs={"token": token})
    else:
        token = signing.dumps({"u": clinician.pk, "c": "session_reminders"}, salt="elsewhere")
        url = reverse("accounts:notifications_unsubscribe", kwargs={"token": token})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "not valid" in response.text
    assert not NotificationPreference.objects.exists()


def test_account_emails_carry_no_unsubscribe_and_are_sent_even_when_everything_is_off(
        clinician):
    for category in Category:
        if category != Category.ACCOUNT:
            NotificationPreference.objects.create(user=clinician, category=category,
                                                  enabled=False)
    welcome = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    outgoing_message_batch_send.apply(args=[[welcome.pk]])
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "Unsubscribe" not in mail.outbox[0].body


def test_event_emails_queued_by_other_areas_honour_preferences_too(clinician, other_clinician,
                                                                   django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=clinician, category="course_changes",
                                          enabled=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = outgoing_message_queue(recipient=clinician, kind="session_cancelled",
                                       object_key="session:9", context=_cancellation_context())
        second = outgoing_message_queue(recipient=other_clinician, kind="session_cancelled",
                                        object_key="session:9", context=_cancellation_context())
        assert outgoing_message_queue(recipient=clinician, kind="session_cancelled",
                                      object_key="session:9") is None
    assert len(email_tasks(callbacks)) == 2
    outgoing_message_batch_send.apply(args=[[first.pk, second.pk]])
    first.refresh_from_db()
    assert first.status == OutgoingMessage.Status.SKIPPED
    assert [m.to for m in mail.outbox] == [[other_clinician.email]]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failed_send_is_retried_with_backoff_then_marked_failed_and_resent_from_the_admin(
        clinician, admin_user, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    message = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")

    assert outgoing_message_batch_send_now([message.pk])["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not handed out again before the backoff has passed.
    assert outgoing_messages_dispatch() == 0

    for _attempt in range(2, settings.OUTGOING_MESSAGE_MAX_ATTEMPTS + 1):
        outgoing_message_batch_send_now([message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", settings.OUTGOING_MESSAGE_MAX_ATTEMPTS)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_outgoingmessage_changelist")
    assert "ConnectionRefusedError" in client.get(changelist + "?status=failed").text
    response = client.post(changelist, {"action": "resend", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 0)
    outgoing_message_batch_send.apply(args=[[message.pk]])
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_batch_send_each_message_once(clinician, other_clinician):
    ids = [outgoing_message_queue(recipient=user, kind="welcome", object_key=f"user:{user.pk}").pk
           for user in (clinician, other_clinician)]
    results = []
    start = threading.Barrier(2)

    def worker():
        start.wait()
        try:
            results.append(outgoing_message_batch_send_now(ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result["sent"] for result in results) == 2
    assert len(mail.outbox) == 2
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_whose_worker_stopped_is_given_back_and_never_marked_failed(
        clinician, other_clinician, settings):
    """What a SIGKILLed worker leaves (tests/reliability/test_worker_kill.py kills real ones):
    a row it was handing to the mail server, and one it had not reached. After the lease both
    go out again; a batch still showing signs of life is left alone."""
    uncertain = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    untouched = outgoing_message_queue(recipient=other_clinician, kind="welcome",
                                       object_key="user:2")
    alive = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:3")
    long_ago = timezone.now() - timedelta(seconds=settings.OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS + 1)
    OutgoingMessage.objects.filter(pk__in=[uncertain.pk, untouched.pk]).update(
        status="sending", claim=7, claimed_at=long_ago)
    OutgoingMessage.objects.filter(pk=uncertain.pk).update(send_started_at=long_ago)
    OutgoingMessage.objects.filter(pk=alive.pk).update(status="sending", claim=8,
                                                       claimed_at=timezone.now())

    assert outgoing_messages_recover() == 2
    uncertain.refresh_from_db()
    untouched.refresh_from_db()
    assert (untouched.status, untouched.attempts, untouched.last_error) == ("queued", 0, "")
    assert uncertain.status == "queued" and uncertain.attempts == 1
    assert "same Message-ID" in uncertain.last_error
    assert OutgoingMessage.objects.get(pk=alive.pk).status == "sending"

    mail.outbox.clear()
    outgoing_message_batch_send_now([uncertain.pk, untouched.pk, alive.pk])
    assert len(mail.outbox) == 2
    assert set(OutgoingMessage.objects.filter(pk__in=[uncertain.pk, untouched.pk])
               .values_list("status", flat=True)) == {"sent"}


def test_a_published_batch_never_claimed_is_handed_out_again_once_workers_are_idle(
        clinician, other_clinician, settings):
    """The cluster drill's second window: a worker SIGKILLed after it received a batch task and
    before it claimed the rows leaves them queued, published and unclaimed, the task
    unacknowledged in the broker for its visibility timeout (an hour). With no batch being sent
    they are handed out again after the claim lease; while a batch is being sent, rows may be
    waiting their turn in the broker, so they wait the longer requeue time."""
    lost = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    busy = outgoing_message_queue(recipient=other_clinician, kind="welcome", object_key="user:2")
    lease = timedelta(seconds=settings.OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS)
    now = timezone.now()
    OutgoingMessage.objects.filter(pk=lost.pk).update(queued_at=now - lease / 2)
    OutgoingMessage.objects.filter(pk=busy.pk).update(status="sending", claim=5, claimed_at=now)

    assert outgoing_messages_dispatch(now=now) == 0  # within the lease: maybe not yet taken
    assert outgoing_messages_dispatch(now=now + lease) == 0  # a batch is being sent: its turn
    OutgoingMessage.objects.filter(pk=busy.pk).update(status="sent", sent_at=now)
    assert outgoing_messages_dispatch(now=now + lease) == 1  # idle workers: the task was lost
    lost.refresh_from_db()
    assert lost.queued_at == now + lease and lost.status == "queued"

    mail.outbox.clear()
    outgoing_message_batch_send_now([lost.pk])
    outgoing_message_batch_send_now([lost.pk])  # the lost task, redelivered after all
    assert [m.to for m in mail.outbox] == [[clinician.email]]


def test_a_message_that_stops_its_worker_every_time_ends_failed_with_the_reason(clinician):
    message = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status="sending", claim=9, attempts=4, claimed_at=timezone.now() - timedelta(hours=1),
        send_started_at=timezone.now() - timedelta(hours=1))
    outgoing_messages_dispatch()
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 5
    assert "may have gone out" in message.last_error


def test_each_message_carries_a_message_id_made_of_its_row_alone(clinician, settings):
    message = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    mail.outbox.clear()
    outgoing_message_batch_send_now([message.pk])
    OutgoingMessage.objects.filter(pk=message.pk).update(status="queued")
    outgoing_message_batch_send_now([message.pk])
    first, second = (email.extra_headers["Message-ID"] for email in mail.outbox)
    assert first == second == message_id(OutgoingMessage.objects.get(pk=message.pk))
    assert first.startswith(f"<outgoing.{message.pk}.") and first.endswith("@127.0.0.1>")


def test_a_batch_given_back_while_sending_stops_before_its_next_message(
        clinician, other_clinician, monkeypatch):
    """A worker the dispatcher took for stopped (paused past the lease) sends nothing more."""
    first = outgoing_message_queue(recipient=clinician, kind="welcome", object_key="user:1")
    second = outgoing_message_queue(recipient=other_clinician, kind="welcome",
                                    object_key="user:2")
    real_sent = accounts_tasks._sent

    def sent_then_given_back(message, claim):
        real_sent(message, claim)
        outgoing_message_claims_release(claims=[claim])

    monkeypatch.setattr(accounts_tasks, "_sent", sent_then_given_back)
    mail.outbox.clear()
    assert outgoing_message_batch_send_now([first.pk, second.pk])["sent"] == 1
    assert len(mail.outbox) == 1
    assert OutgoingMessage.objects.get(pk=second.pk).status == "queued"


# The scheduler closes the database connection between steps, as beat does between ticks.
@pytest.mark.django_db(transaction=True)
def test_beat_database_scheduler_registers_the_reminder_ticks_once(settings):
    from django_celery_beat.models import PeriodicTask

    from accounts.beat import RegisteredTaskScheduler, beat_schedule
    from cpd_portal.celery import app

    RegisteredTaskScheduler(app=app)
    RegisteredTaskScheduler(app=app)
    ticks = dict(PeriodicTask.objects.filter(name__in=beat_schedule())
                 .values_list("name", "task"))
    assert ticks == {"session-reminders": "courses.tasks.session_reminders_tick",
                     "course-session-dates": "courses.tasks.course_session_dates_tick",
                     "disclosure-reminders":
                         "courses.disclosures.tasks.disclosure_reminders_tick",
                     "learning-reminders": "credits.learning.tasks.learning_reminders_tick",
                     "assignments": "credits.assignments.tasks.assignments_tick",
                     "board-reports": "credits.boards.tasks.board_reports_tick",
                     "web-reporting": "credits.webservices.tasks.web_reporting_tick",
                     "certificate-renders":
                         "credits.certificates.tasks.certificate_renders_recover_tick",
                     "checklists": "credits.checklists.tasks.checklists_tick",
                     "drill-deliveries": "credits.drills.tasks.drill_deliveries_tick",
                     "next-for-you": "credits.suggestions.tasks.next_for_you_tick",
                     "series-missing-items": "credits.series.tasks.series_missing_items_tick",
                     "virtual-meetings": "credits.virtual.tasks.virtual_meetings_tick"}


def test_context_with_datetimes_from_other_areas_is_stored_and_shown_in_the_recipients_zone(
        clinician):
    clinician.time_zone = "Europe/London"
    clinician.save()
    starts_at = datetime(2027, 1, 12, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    message = outgoing_message_queue(
        recipient=clinician, kind="session_cancelled", object_key="session:1",
        context={"session_title": "Sepsis update", "course_title": "Sepsis update",
                 "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=1),
                 "course_url": "http://127.0.0.1:8000/courses/sepsis/"})
    outgoing_message_batch_send.apply(args=[[message.pk]])
    assert "Tue 12 Jan, 19:00 GMT" in mail.outbox[0].subject


@pytest.mark.parametrize("optional_categories_off", [0, 4])
def test_preferences_page_query_count_does_not_grow_with_choices(
        client, clinician, django_assert_num_queries, optional_categories_off):
    for category in list(Category)[1:1 + optional_categories_off]:
        NotificationPreference.objects.create(user=clinician, category=category, enabled=False)
    client.force_login(clinician)
    # session, user, role groups, preferences
    with django_assert_num_queries(4):
        assert client.get(reverse("accounts:notifications")).status_code == 200


def test_a_message_that_cannot_be_rendered_is_recorded_and_does_not_block_the_batch(
        clinician, other_clinician, registered_kind):
    registered_kind("enrolment_without_templates")
    broken = outgoing_message_queue(recipient=clinician, kind="enrolment_without_templates",
                                    object_key="enrolment:1")
    welcome = outgoing_message_queue(recipient=other_clinician, kind="welcome", object_key="user:2")
    assert outgoing_message_batch_send_now([broken.pk, welcome.pk]) == {
        "sent": 1, "skipped": 0, "failed": 1}
    broken.refresh_from_db()
    assert broken.status == "queued" and "TemplateDoesNotExist" in broken.last_error
    assert [m.to for m in mail.outbox] == [[other_clinician.email]]
