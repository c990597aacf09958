"""Writes of practice drills: joining, the morning delivery scan and recording an answer.

Every write locks what it changes (the enrolment for a scan, the delivery for an answer), so
two scans at once, a task delivered twice, a double click or a second tab count once.
"""
import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.emails import MERGE_FIELDS, merge_placeholder
from accounts.models import OutgoingMessage, User
from accounts.services import outgoing_messages_record
from courses.models import Course, Enrolment
from courses.questions.models import DrillSettings, Question, QuestionOption
from courses.services.enrolment import enrolment_create, enrolments_create_for_all
from credits.online.models import ModuleProgress

from . import spacing
from .links import answer_token
from .models import DrillAnswer, DrillCard, DrillDelivery, DrillEnrolment
from .required import drill_required_for

SCAN_CHUNK = 2000
KIND = "drill_questions"
KIND_REQUIRED = "drill_questions_required"


def drill_settings_get(course_id: int) -> DrillSettings:
    """The drill's settings, or the defaults (unsaved) when its directors kept them."""
    return (DrillSettings.objects.filter(course_id=course_id).first()
            or DrillSettings(course_id=course_id))


def _local_today(user: User, now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now, zoneinfo.ZoneInfo(user.time_zone))


@transaction.atomic
def drill_join(*, user: User, course: Course,
               now: datetime.datetime | None = None) -> DrillEnrolment:
    """Enrol if needed and schedule every active question for the next delivery."""
    now = now or timezone.now()
    if course.format != Course.Format.DRILL:
        raise ValidationError("This activity is not a practice drill.")
    User.objects.select_for_update().filter(pk=user.pk).first()  # two tabs join once
    existing = DrillEnrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    today = _local_today(user, now)
    if course.is_terminated(today):
        raise ValidationError(f"This drill's termination date passed on "
                              f"{course.termination_date:%-d %B %Y}: it is closed to new "
                              "learners.")
    if not Enrolment.objects.filter(user=user, course=course,
                                    status=Enrolment.Status.ENROLLED).exists():
        enrolment_create(user=user, course=course, now=now)
        if not Enrolment.objects.filter(user=user, course=course,
                                        status=Enrolment.Status.ENROLLED).exists():
            raise ValidationError("Your request for a place is recorded; the drill starts once "
                                  "it is confirmed.")
    enrolment = DrillEnrolment.objects.create(user=user, course=course, joined_at=now)
    DrillCard.objects.bulk_create(
        DrillCard(enrolment=enrolment, question=question, due_on=today)
        for question in course.questions.filter(is_active=True))
    return enrolment


@transaction.atomic
def drill_learners_join(*, users: list[User], course: Course,
                now: datetime.datetime | None = None) -> None:
    """`drill_join` for many learners at once (a drill assigned to a group): the learners
    locked, places given, enrolments and cards written in a fixed number of queries whatever
    their number. When the drill cannot take them all at once (approval, too few seats, a
    request already made), each joins on their own, as `drill_join` would have them."""
    now = now or timezone.now()
    if course.format != Course.Format.DRILL:
        raise ValidationError("This activity is not a practice drill.")
    # Locked as a learner's own join locks them: a second tab or an assignment joins once.
    locked = list(User.objects.select_for_update().filter(pk__in=[user.pk for user in users])
                  .order_by("pk"))
    joined = set(DrillEnrolment.objects.filter(course=course, user__in=locked)
                 .values_list("user_id", flat=True))
    due = [user for user in locked if user.pk not in joined]
    if not due:
        return
    today = {user.pk: _local_today(user, now) for user in due}  # each learner's own day
    if course.is_terminated(max(today.values())):
        raise ValidationError(f"This drill's termination date passed on "
                              f"{course.termination_date:%-d %B %Y}: it is closed to new "
                              "learners.")
    enrolled = set(Enrolment.objects.filter(course=course, user__in=due,
                                            status=Enrolment.Status.ENROLLED)
                   .values_list("user_id", flat=True))
    to_enrol = [user for user in due if user.pk not in enrolled]
    if to_enrol and enrolments_create_for_all(users=to_enrol, course=course) is None:
        for user in due:
            drill_join(user=user, course=course, now=now)
        return
    enrolments = DrillEnrolment.objects.bulk_create(
        DrillEnrolment(user=user, course=course, joined_at=now) for user in due)
    questions = list(course.questions.filter(is_active=True).values_list("pk", flat=True))
    DrillCard.objects.bulk_create(
        DrillCard(enrolment=enrolment, question_id=question, due_on=today[enrolment.user_id])
        for enrolment in enrolments for question in questions)


def _question_payloads(course: Course) -> dict[int, dict]:
    questions = (Question.objects.filter(course=course, is_active=True)
                 .prefetch_related("options"))
    return {question.pk: {"stem": question.stem,
                          "options": [(option.pk, option.text) for option in
                                      question.options.all()]}
            for question in questions}


def _answer_url_parts() -> tuple[str, str]:
    # reverse() once per scan, not once per option of every email.
    path = reverse("drills:answer_link", args=["TOKEN"])
    before, after = path.split("TOKEN")
    return settings.SITE_URL + before, after


def _email_questions(deliveries: list[DrillDelivery], user_id: int, payloads: dict,
                     url_parts: tuple[str, str]) -> tuple[list[dict], dict[str, str]]:
    """The email's questions with a stand-in for each signed answer link, and the links.

    The stand-ins depend only on the question's and option's place in the email, so learners
    sent the same questions share one rendering (a mail merge) and differ only in the links.
    """
    before, after = url_parts
    questions, links = [], {}
    for number, delivery in enumerate(deliveries, start=1):
        payload = payloads[delivery.question_id]
        options = []
        for index, (option_id, text) in enumerate(payload["options"]):
            letter = chr(ord("A") + index)
            placeholder = merge_placeholder(f"DrillAnswer{number}{letter}")
            links[placeholder] = before + answer_token(
                delivery_id=delivery.pk, user_id=user_id, question_id=delivery.question_id,
                option_id=option_id) + after
            options.append({"letter": letter, "text": text, "url": placeholder})
        questions.append({"stem": payload["stem"], "options": options})
    return questions, links


@dataclass
class ScanResult:
    learners: int = 0
    questions: int = 0


def _scan_chunk(*, drill: Course, drill_settings: DrillSettings, after_pk: int,
                now: datetime.datetime, payloads: dict, result: ScanResult,
                after_chunk: Callable[[], object] | None) -> int | None:
    """Deliver to one chunk of the drill's learners; returns the last pk seen (None: done)."""
    with transaction.atomic():
        enrolments = list(
            DrillEnrolment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(course=drill, completed_at__isnull=True, pk__gt=after_pk,
                    user__is_active=True)
            .order_by("pk")[:SCAN_CHUNK])
        if not enrolments:
            return None
        due_today: dict[int, datetime.date] = {}
        for enrolment in enrolments:
            local = timezone.localtime(now, zoneinfo.ZoneInfo(enrolment.user.time_zone))
            if enrolment.last_delivered_on == local.date() or not spacing.is_delivery_moment(
                    local=local, delivery_hour=drill_settings.delivery_hour,
                    quiet_hour=drill_settings.quiet_hour,
                    weekdays_only=drill_settings.weekdays_only):
                continue
            due_today[enrolment.pk] = local.date()
        if due_today:
            _deliver(drill=drill, drill_settings=drill_settings, now=now, payloads=payloads,
                     enrolments=[e for e in enrolments if e.pk in due_today],
                     due_today=due_today, result=result)
    if due_today and after_chunk is not None:
        after_chunk()
    return enrolments[-1].pk


def _deliver(*, drill, drill_settings, now, payloads, enrolments, due_today, result) -> None:
    latest = max(due_today.values())
    chosen: dict[int, list[DrillCard]] = {}
    # A question answered wrong comes back at the very next delivery, ahead of the others.
    missed_first = Case(When(times_answered__gt=0, correct_streak=0, then=Value(0)),
                        default=Value(1))
    for card in (DrillCard.objects.filter(enrolment_id__in=due_today, retired_on__isnull=True,
                                          due_on__lte=latest)
                 .order_by("enrolment_id", missed_first, "due_on", "question__position",
                           "question_id")):
        picked = chosen.setdefault(card.enrolment_id, [])
        if (card.due_on <= due_today[card.enrolment_id]
                and len(picked) < drill_settings.questions_per_delivery
                and card.question_id in payloads):
            picked.append(card)
    deliveries = DrillDelivery.objects.bulk_create(
        DrillDelivery(enrolment_id=enrolment_id, card=card, question_id=card.question_id,
                      delivered_on=due_today[enrolment_id], created_at=now)
        for enrolment_id, cards in chosen.items() for card in cards)
    by_enrolment: dict[int, list[DrillDelivery]] = {}
    for delivery in deliveries:
        by_enrolment.setdefault(delivery.enrolment_id, []).append(delivery)
    required = drill_required_for(course_id=drill.pk,
                                  user_ids=[e.user_id for e in enrolments
                                            if e.pk in by_enrolment])
    drill_path = reverse("drills:drill", args=[drill.slug])
    url_parts = _answer_url_parts()
    messages = []
    for enrolment in enrolments:
        sent = by_enrolment.get(enrolment.pk)
        if not sent:
            continue
        day = due_today[enrolment.pk]
        questions, links = _email_questions(sent, enrolment.user_id, payloads, url_parts)
        messages.append(OutgoingMessage(
            recipient_id=enrolment.user_id,
            kind=KIND_REQUIRED if enrolment.user_id in required else KIND,
            object_key=f"drill:{drill.pk}", occurrence=day.isoformat(),
            context={"course_title": drill.title, "drill_path": drill_path,
                     "required": enrolment.user_id in required, "delivered_on": day,
                     "questions": questions, MERGE_FIELDS: links}))
    for day in set(due_today[pk] for pk in by_enrolment):
        DrillEnrolment.objects.filter(
            pk__in=[pk for pk in by_enrolment if due_today[pk] == day]
        ).update(last_delivered_on=day)
    outgoing_messages_record(messages=messages)
    result.learners += len(messages)
    result.questions += len(deliveries)


def drill_deliveries_scan(*, now: datetime.datetime | None = None,
                          after_chunk: Callable[[], object] | None = None,
                          course_ids: list[int] | None = None) -> ScanResult:
    """Find each learner's due questions in their time zone and record the morning's email,
    in every published drill or only those of `course_ids` (the demo replays its own drill's
    past mornings without touching anyone else's).

    Learners are taken in chunks with SKIP LOCKED, and `last_delivered_on` is set in the same
    transaction, so two scans at once deliver each learner's questions once; the outbox's
    unique key (recipient, kind, drill, local day) holds even if that guard were passed.
    `after_chunk` runs after each chunk with deliveries commits (the beat tick dispatches
    there, so workers send the first emails while the scan goes on).
    """
    now = now or timezone.now()
    result = ScanResult()
    drills = Course.objects.filter(format=Course.Format.DRILL, status=Course.Status.PUBLISHED)
    if course_ids is not None:
        drills = drills.filter(pk__in=course_ids)
    for drill in drills.select_related("drill_settings"):
        if drill.is_terminated(timezone.localdate(now)):
            continue
        drill_settings = getattr(drill, "drill_settings", None) or drill_settings_get(drill.pk)
        payloads = _question_payloads(drill)
        after_pk = 0
        while after_pk is not None:
            after_pk = _scan_chunk(drill=drill, drill_settings=drill_settings,
                                   after_pk=after_pk, now=now, payloads=payloads,
                                   result=result, after_chunk=after_chunk)
    return result


@dataclass(frozen=True)
class AnswerOutcome:
    answer: DrillAnswer
    created: bool  # False: the delivery was already answered (double click, replay, 2nd tab)


# The answer's writes in one statement: store the one answer of the delivery (ON CONFLICT: a
# double click, a replayed link or a second tab adds nothing) and reschedule the card, both only
# if the card is still as it was read (times_answered counts every answer to it), under the
# card's lock. One statement is atomic on its own: no BEGIN or COMMIT round trips
# (bench/drills.py, docs/benchmarks.md).
_ANSWER_SQL = """WITH card AS (
    SELECT id FROM credits_drillcard
    WHERE id = %(card)s AND times_answered = %(times_answered)s
    FOR UPDATE
), answer AS (
    INSERT INTO credits_drillanswer
        (delivery_id, option_id, is_correct, channel, answered_at, answered_on)
    SELECT %(delivery)s, %(option)s, %(is_correct)s, %(channel)s, %(now)s, %(today)s FROM card
    ON CONFLICT (delivery_id) DO NOTHING
    RETURNING id
), rescheduled AS (
    UPDATE credits_drillcard AS rescheduled SET
        due_on = %(due_on)s, correct_streak = %(correct_streak)s,
        last_correct_on = %(last_correct_on)s, retired_on = %(retired_on)s,
        times_answered = rescheduled.times_answered + 1
    FROM answer WHERE rescheduled.id = %(card)s
)
SELECT (SELECT id FROM card), (SELECT id FROM answer)"""

# The drill's rules, read with the delivery (a drill without its own keeps the defaults).
RULES = "enrolment__course__drill_settings"
RULE_FIELDS = ["id", "intervals_days", "retire_after_correct", "retire_min_days_apart"]

# Read attempts at an answer whose card another answer changed meanwhile (the same question
# delivered on two days and answered at once): each retry reads the card anew.
ANSWER_ATTEMPTS = 5


def drill_answer_record(*, delivery: DrillDelivery, user: User, option: QuestionOption,
                        channel: str, now: datetime.datetime | None = None) -> AnswerOutcome:
    """Record the learner's one answer to a delivered question and reschedule the question."""
    now = now or timezone.now()
    today = _local_today(user, now)
    for _ in range(ANSWER_ATTEMPTS):
        seen = (DrillDelivery.objects.filter(pk=delivery.pk).values(
            "card_id", "question_id", "enrolment__user_id", "enrolment__course_id",
            "card__due_on", "card__correct_streak", "card__last_correct_on",
            "card__retired_on", "card__times_answered", "answer__id",
            *(f"{RULES}__{name}" for name in RULE_FIELDS)).get())
        if seen["enrolment__user_id"] != user.pk:
            raise ValidationError("This question was sent to someone else.")
        if option.question_id != seen["question_id"]:
            raise ValidationError("That option belongs to another question.")
        if seen["answer__id"] is not None:
            return AnswerOutcome(answer=DrillAnswer.objects.get(pk=seen["answer__id"]),
                                 created=False)
        rules = (DrillSettings(**{name: seen[f"{RULES}__{name}"] for name in RULE_FIELDS})
                 if seen[f"{RULES}__id"] is not None else DrillSettings())
        state = spacing.next_state(
            state=spacing.CardState(seen["card__due_on"], seen["card__correct_streak"],
                                    seen["card__last_correct_on"], seen["card__retired_on"]),
            correct=option.is_correct, answered_on=today, intervals=rules.intervals,
            retire_after_correct=rules.retire_after_correct,
            retire_min_days_apart=rules.retire_min_days_apart)
        values = {"card": seen["card_id"], "times_answered": seen["card__times_answered"],
                  "delivery": delivery.pk, "option": option.pk,
                  "is_correct": option.is_correct, "channel": channel, "now": now,
                  "today": today, "due_on": state.due_on,
                  "correct_streak": state.correct_streak,
                  "last_correct_on": state.last_correct_on, "retired_on": state.retired_on}
        if state.retired_on is None or seen["card__retired_on"] is not None:
            # Cannot complete the drill: the one statement is the whole write.
            card_as_read, answer_id = _answer_store(values)
        else:
            with transaction.atomic():
                card_as_read, answer_id = _answer_store(values)
                if answer_id is not None:
                    _completion_update(enrolment_id=delivery.enrolment_id, now=now,
                                       today=today)
        if answer_id is not None:
            return AnswerOutcome(created=True, answer=DrillAnswer(
                pk=answer_id, delivery=delivery, option=option, is_correct=option.is_correct,
                channel=channel, answered_at=now, answered_on=today))
        # Nothing stored: answered meanwhile (the next read finds the answer), or the card
        # was changed by another answer (the next read sees it).
    raise ValidationError("Too many answers to this question at once; try again.")


def _answer_store(values: dict) -> tuple[int | None, int | None]:
    """(the card's id if it was still as read, the new answer's id if one was stored)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_ANSWER_SQL, values)
            return cursor.fetchone()
    return _answer_store_one_writer(values)


@transaction.atomic
def _answer_store_one_writer(values: dict) -> tuple[int | None, int | None]:
    """_ANSWER_SQL's writes through the ORM, for the embedded SQLite database, which has no
    writable CTEs (and lets one writer in at a time)."""
    if DrillAnswer.objects.filter(delivery_id=values["delivery"]).exists():
        return values["card"], None
    if not DrillCard.objects.filter(pk=values["card"],
                                    times_answered=values["times_answered"]).update(
            due_on=values["due_on"], correct_streak=values["correct_streak"],
            last_correct_on=values["last_correct_on"], retired_on=values["retired_on"],
            times_answered=F("times_answered") + 1):
        return None, None
    answer = DrillAnswer.objects.create(
        delivery_id=values["delivery"], option_id=values["option"],
        is_correct=values["is_correct"], channel=values["channel"], answered_at=values["now"],
        answered_on=values["today"])
    return values["card"], answer.pk


def _completion_update(*, enrolment_id: int, now: datetime.datetime,
                       today: datetime.date) -> None:
    """Every question retired: the drill is complete, recorded where every online activity's
    completion is (ModuleProgress), so evaluation, claim and certificate follow as usual."""
    # Locked: two last questions retired at once in two transactions each see the other's card
    # unretired; the second to take the lock reads again after the first committed.
    enrolment = DrillEnrolment.objects.select_for_update().get(pk=enrolment_id)
    if enrolment.cards.filter(retired_on__isnull=True).exists():
        return
    DrillEnrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now)
    progress, _ = ModuleProgress.objects.get_or_create(
        user_id=enrolment.user_id, course_id=enrolment.course_id,
        defaults={"started_at": enrolment.joined_at})
    if progress.completed_at is None:
        progress.completed_at, progress.completed_on = now, today
        progress.save(update_fields=["completed_at", "completed_on"])
