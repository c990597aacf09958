"""A January burst of required training: every due-soon reminder of the hospital-system data
set's required-training assignments (20,000 learners) through the portal's real path, against
plain smtplib, both into the same local SMTP sink.

Portal run: the assigned-learning beat task's body (credits.assignments.tasks.assignments_tick:
the sweep, the reminders recorded in the outbox, the dispatch in batches) and real `celery
worker` processes (accounts.tasks.outgoing_message_batch_send) deliver into the aiosmtpd sink of
bench.mail_delivery, which counts what it receives and the distinct Message-IDs (derived from
the outbox row, so a message sent twice would count once there). Baseline: the same messages
(one rendered by the portal per assignment, personalised by substitution) sent with smtplib
over one connection to the same sink.

Needs the hospital-system data set (`python -m bench.generate --scale system`) in a database
whose name contains "bench": each run first deletes the required-training reminders of earlier
runs from the outbox, so that the same 20,000 are owed again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_scale_bench \\
    .venv/bin/python -m bench.january_burst [--workers 4]

Prints the tick's counts, portal and baseline figures, sink_received= and
sink_distinct_message_ids= (both must equal reminders=) and, last, ratio=.
"""
import argparse
import os

from bench.mail_delivery import delivery_measure, messages_by_substitution, private_broker

REQUIRED_TRAINING_KINDS = ("assignment_due_soon", "assignment_overdue")


def _owed_again() -> int:
    """Forget earlier runs' required-training reminders; returns how many members are owed
    one (open, in an active assignment, due within the reminder window)."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from accounts.models import OutgoingMessage
    from credits.assignments.models import Assignment, AssignmentMember
    from credits.assignments.reminders import REMINDER_DAYS_BEFORE

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        raise SystemExit(f"refusing to delete reminders from {name!r}: give a benchmark "
                         "database whose name contains 'bench' in DATABASE_URL")
    OutgoingMessage.objects.filter(kind__in=REQUIRED_TRAINING_KINDS).delete()
    today = timezone.localdate()
    owed = AssignmentMember.objects.filter(
        completed_on__isnull=True, assignment__status=Assignment.Status.ACTIVE,
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE),
    ).count()
    if not owed:
        raise SystemExit("No required training is due: load the data set with "
                         "python -m bench.generate --scale system")
    return owed


def _baseline_messages():
    """The same messages the portal sent: one rendered by the portal per assignment, then
    personalised per recipient (address, name and the row's Message-ID)."""
    from accounts.models import OutgoingMessage
    from accounts.tasks import message_id

    rows = (OutgoingMessage.objects.filter(kind__in=REQUIRED_TRAINING_KINDS)
            .select_related("recipient").order_by("pk"))
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row.kind, row.context["assignment_title"]), []).append(row)
    return messages_by_substitution(groups.values(), lambda row: [
        message_id(row), row.recipient.email, row.recipient.full_name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # Twice the cores, as bench.reminders runs them.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    with private_broker("bench-january-burst"):
        import django

        django.setup()
        from credits.assignments.tasks import assignments_tick

        owed = _owed_again()
        delivery = delivery_measure(name="bench-january-burst", workers=args.workers,
                                    count=owed, deliver=assignments_tick,
                                    baseline_messages=_baseline_messages)
        for name, value in delivery.delivered.items():
            print(f"tick_{name}={value}")
        print(f"owed={owed}")
        print("\n".join(delivery.lines(owed)))


if __name__ == "__main__":
    main()
