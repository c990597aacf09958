"""Reminder throughput: 100,000 session reminders through the portal's real path against plain
smtplib, both into the same local SMTP sink.

Portal run: the beat tick function (courses.tasks.session_reminders_tick: scan, record rows,
hand out batches) and real `celery worker` processes (accounts.tasks.outgoing_message_batch_send:
claim, render HTML + text, one SMTP connection per batch, mark sent) deliver into an aiosmtpd
sink on loopback, in its own process, that counts what it receives. Baseline: the same 100,000
messages (same recipients and bodies, rendered beforehand) sent with smtplib over one
connection to the same sink.

It WIPES the database it is given (`manage.py flush`), so use a scratch one. The broker is a
redis-server the benchmark starts on a spare port (a shared Redis database could be flushed
under it by a test run clearing its cache):

    createdb -h 127.0.0.1 -U postgres cpd_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench_reminders \\
    .venv/bin/python -m bench.reminders [--count 100000] [--workers 4]

Prints portal_messages_per_second=, baseline_messages_per_second=, sink_received= (the portal
run's count, which must equal --count) and, last, ratio=.
"""
import argparse
import datetime
import os

from bench.mail_delivery import delivery_measure, messages_by_substitution, private_broker

SESSIONS = 10


def _prepare(count: int) -> None:
    """Flush the scratch database and make `count` session reminders due."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from courses.models import Course, Enrolment, Session

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        raise SystemExit(f"refusing to wipe {name!r}: give a scratch database whose name "
                         "contains 'bench' in DATABASE_URL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    users = User.objects.bulk_create(
        [User(email=f"clinician{n}@bench.example", full_name=f"Clinician {n}", password="!",
              time_zone="America/New_York" if n % 2 else "America/Chicago")
         for n in range(count)], batch_size=5000)
    starts_at = timezone.now() + datetime.timedelta(hours=20)
    per_session = -(-count // SESSIONS)
    for index in range(SESSIONS):
        course = Course.objects.create(
            title=f"Grand rounds {index}", slug=f"grand-rounds-{index}",
            summary="Hospital medicine grand rounds.", status=Course.Status.PUBLISHED)
        Session.objects.create(course=course, starts_at=starts_at,
                               ends_at=starts_at + datetime.timedelta(hours=1),
                               location="Auditorium B")
        Enrolment.objects.bulk_create(
            [Enrolment(user=user, course=course, status=Enrolment.Status.ENROLLED)
             for user in users[index * per_session:(index + 1) * per_session]],
            batch_size=5000)


def _baseline_messages():
    """The same messages the portal sent: each session's email rendered by the portal once,
    then personalised per recipient."""
    from accounts.models import OutgoingMessage
    from accounts.notifications import unsubscribe_token

    rows = (OutgoingMessage.objects.select_related("recipient").order_by("object_key", "pk"))
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.object_key, []).append(row)
    return messages_by_substitution(groups.values(), lambda row: [
        unsubscribe_token(user_id=row.recipient_id, category="session_reminders"),
        row.recipient.email, row.recipient.full_name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    # Twice the cores, as a deployment would run it: a sending worker spends much of each
    # message waiting on SMTP replies, which other worker processes overlap.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    with private_broker("bench-reminders"):
        import django

        django.setup()
        from courses.tasks import session_reminders_tick

        _prepare(args.count)
        delivery = delivery_measure(name="bench-reminders", workers=args.workers,
                                    count=args.count, deliver=session_reminders_tick,
                                    baseline_messages=_baseline_messages)
        print(f"scan_due={delivery.delivered['due']}")
        print("\n".join(delivery.lines(args.count)))


if __name__ == "__main__":
    main()
