"""Drill throughput: 100,000 due drill emails through the portal's real path against plain
smtplib, both into the same local SMTP sink; then 100,000 answers through the answer service
against a bare INSERT.

Delivery: the beat task's body, credits.drills.tasks.drill_deliveries_tick (the scan: each
learner's due questions in their zone, delivery rows, signed answer links, outbox rows, each
chunk dispatched as it commits), and real `celery worker` processes send into the aiosmtpd sink of
bench.mail_delivery, the harness bench.reminders uses too. Baseline:
the same emails (rendered beforehand from one sample per drill and personalised by
substitution) sent with smtplib over one connection. Answers: drill_answer_record (lock, one
answer per delivery, Leitner reschedule) for one delivery per learner, against one bare
INSERT per answer into the same table for the other delivery.

It WIPES the database it is given, so use a scratch one:

    createdb -h 127.0.0.1 -U postgres cpd_bench_drills
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench_drills \\
    .venv/bin/python -m bench.drills [--count 100000] [--workers 4] [--answers 100000]
                                     [--answers-only]

Prints scan and delivery figures, sink_received= (must equal --count), the answer figures
and, last, ratio= (delivery, portal against smtplib).
"""
import argparse
import datetime
import os
import time

from bench.mail_delivery import delivery_measure, messages_by_substitution, private_broker

DRILLS = 4
QUESTIONS = 6


def _prepare(count: int) -> None:
    """Flush the scratch database; `count` learners in DRILLS drills, two questions due each."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from courses.models import Course, Enrolment
    from courses.questions.models import DrillSettings, Question, QuestionOption
    from credits.drills.models import DrillCard, DrillEnrolment

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        raise SystemExit(f"refusing to wipe {name!r}: give a scratch database whose name "
                         "contains 'bench' in DATABASE_URL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    users = User.objects.bulk_create(
        [User(email=f"clinician{n}@bench.example", full_name=f"Clinician {n}", password="!",
              time_zone="UTC") for n in range(count)], batch_size=5000)
    now = timezone.now()
    per_drill = -(-count // DRILLS)
    for index in range(DRILLS):
        course = Course.objects.create(
            title=f"Sepsis drill {index}", slug=f"sepsis-drill-{index}", format=Course.Format.DRILL,
            summary="Two sepsis questions every morning.", status=Course.Status.PUBLISHED)
        # Open all day, every day, so the run does not depend on the hour it starts.
        DrillSettings.objects.create(course=course, delivery_hour=0, quiet_hour=24,
                                     weekdays_only=False)
        questions = []
        for position in range(1, QUESTIONS + 1):
            question = Question.objects.create(
                course=course, position=position,
                stem=f"Sepsis question {position}: a 68-year-old has a respiratory rate of "
                     "24/min and a systolic pressure of 96 mmHg. What next?",
                rationale="qSOFA is positive: assess for sepsis now.", reference="SSC 2021")
            QuestionOption.objects.bulk_create(
                QuestionOption(question=question, text=f"Option {letter}", position=n,
                               is_correct=letter == "A") for n, letter in enumerate("ABCD"))
            questions.append(question)
        members = users[index * per_drill:(index + 1) * per_drill]
        Enrolment.objects.bulk_create(
            [Enrolment(user=user, course=course, status=Enrolment.Status.ENROLLED)
             for user in members], batch_size=5000)
        enrolments = DrillEnrolment.objects.bulk_create(
            [DrillEnrolment(user=user, course=course, joined_at=now) for user in members],
            batch_size=5000)
        today = now.date()
        DrillCard.objects.bulk_create(
            [DrillCard(enrolment=enrolment, question=question,
                       due_on=today - datetime.timedelta(days=1 if n < 2 else -3))
             for enrolment in enrolments for n, question in enumerate(questions)],
            batch_size=10000)


def _baseline_messages():
    """The emails the portal sent, rendered from one sample per drill and personalised by
    substitution (untimed preparation)."""
    from accounts.emails import MERGE_FIELDS
    from accounts.models import OutgoingMessage
    from accounts.notifications import unsubscribe_token

    groups: dict[str, list] = {}
    for row in (OutgoingMessage.objects.filter(kind="drill_questions")
                .select_related("recipient").order_by("pk")):
        groups.setdefault(row.object_key, []).append(row)

    def variable_parts(row) -> list[str]:
        urls = list(row.context[MERGE_FIELDS].values())
        return [unsubscribe_token(user_id=row.recipient_id, category="practice_drills"),
                row.recipient.email, row.recipient.full_name, *urls]

    return messages_by_substitution(groups.values(), variable_parts)


def _answers(limit: int) -> tuple[int, float, float]:
    """drill_answer_record for one delivery per learner against a bare INSERT per answer."""
    from django.db import connection
    from django.utils import timezone

    from credits.drills.models import DrillAnswer, DrillDelivery
    from credits.drills.services import drill_answer_record

    firsts, seconds = [], []
    for delivery in (DrillDelivery.objects.select_related("enrolment__user", "question")
                     .order_by("enrolment_id", "question__position")):
        (seconds if firsts and firsts[-1].enrolment_id == delivery.enrolment_id
         else firsts).append(delivery)
    firsts, seconds = firsts[:limit], seconds[:limit]
    options = {}
    from courses.questions.models import QuestionOption

    for option in QuestionOption.objects.filter(position=0):
        options[option.question_id] = option
    started = time.perf_counter()
    for delivery in firsts:
        drill_answer_record(delivery=delivery, user=delivery.enrolment.user,
                            option=options[delivery.question_id], channel="email")
    service_seconds = time.perf_counter() - started
    table = DrillAnswer._meta.db_table
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for delivery in seconds:
            cursor.execute(
                f"INSERT INTO {table} (delivery_id, option_id, is_correct, channel, "
                "answered_at, answered_on) VALUES (%s, %s, %s, %s, %s, %s)",
                [delivery.pk, options[delivery.question_id].pk, True, "email", now, now.date()])
    insert_seconds = time.perf_counter() - started
    assert DrillAnswer.objects.count() == len(firsts) + len(seconds)
    return len(firsts), service_seconds, len(seconds) / insert_seconds if seconds else 0.0


def _print_answers(limit: int) -> None:
    answered, service_seconds, insert_rate = _answers(limit)
    service_rate = answered / service_seconds
    print(f"answers={answered}")
    print(f"answer_service_per_second={service_rate:.0f}")
    print(f"bare_insert_per_second={insert_rate:.0f}")
    print(f"answer_ratio={service_rate / insert_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--answers-only", action="store_true",
                        help="only the answer figures: the scan records the deliveries, no "
                             "email is sent (no broker, workers or SMTP sink are started)")
    args = parser.parse_args()
    if args.answers_only:
        import django

        django.setup()
        from credits.drills.services import drill_deliveries_scan

        _prepare(args.count)
        drill_deliveries_scan()
        _print_answers(args.answers)
        return
    with private_broker("bench-drills"):
        import django

        django.setup()
        from credits.drills.tasks import drill_deliveries_tick

        _prepare(args.count)
        timings = {}

        def deliver():
            started = time.perf_counter()
            tick = drill_deliveries_tick()  # the beat task's body, in this process
            timings["scan"] = time.perf_counter() - started
            return tick

        delivery = delivery_measure(name="bench-drills", workers=args.workers,
                                    count=args.count, deliver=deliver,
                                    baseline_messages=_baseline_messages)
        print(f"scan_learners={delivery.delivered['learners']}")
        print(f"scan_questions={delivery.delivered['questions']}")
        print(f"scan_dispatched={delivery.delivered['dispatched']}")
        print(f"scan_seconds={timings['scan']:.2f}")  # workers already sending meanwhile
        _print_answers(args.answers)
        print("\n".join(delivery.lines(args.count)))


if __name__ == "__main__":
    main()
