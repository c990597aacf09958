"""The hourly disclosure scan: a reminder before a disclosure lapses, and a request to everyone
on an upcoming activity who has no current disclosure; each goes out once (outbox key)."""
import datetime

from celery import shared_task
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.services import outgoing_messages_dispatch
from courses.disclosures import services
from courses.disclosures.models import FinancialDisclosure
from courses.disclosures.selectors import activity_disclosures, publication_prefetches
from courses.models import Course, Disclosure, Session

REMIND_DAYS_BEFORE_LAPSE = 30


def lapsing_disclosures_remind(*, today: datetime.date) -> int:
    """People whose latest disclosure lapses within 30 days, once per disclosure."""
    newer = FinancialDisclosure.objects.filter(person=OuterRef("person"),
                                               signed_at__gt=OuterRef("signed_at"))
    lapsing = (FinancialDisclosure.objects
               .filter(valid_until__gt=today,
                       valid_until__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE_LAPSE))
               .exclude(Exists(newer)).exclude(person__email="", person__user__isnull=True)
               .select_related("person__user"))
    sent = 0
    for disclosure in lapsing:
        link = services.disclosure_link_send(
            person=disclosure.person, kind="disclosure_expiring",
            object_key=f"financial-disclosure:{disclosure.pk}", occurrence="lapsing",
            context={"signed_on": disclosure.signed_on, "valid_until": disclosure.valid_until})
        sent += link is not None
    return sent


def missing_disclosures_request(*, now: datetime.datetime) -> int:
    """Everyone on an activity still to come who has no current disclosure, once per activity."""
    upcoming = Session.objects.filter(course=OuterRef("pk"), is_cancelled=False,
                                      ends_at__gt=now)
    courses = (Course.objects
               .filter(Q(Exists(upcoming)) | Q(format=Course.Format.ENDURING),
                       status__in=[Course.Status.DRAFT, Course.Status.IN_REVIEW,
                                   Course.Status.PUBLISHED])
               .prefetch_related(
                   Prefetch("sessions", queryset=Session.objects.prefetch_related(
                       "faculty__user")),
                   Prefetch("disclosures", queryset=Disclosure.objects.select_related(
                       "faculty__user")),
                   *publication_prefetches(today=timezone.localdate(now))))
    sent = 0
    for course in courses:
        if course.format == Course.Format.ENDURING and course.is_terminated(
                timezone.localdate(now)):
            continue
        for row in activity_disclosures(course, on=timezone.localdate(now)):
            if row.disclosure is None and (row.person.email or row.person.user_id):
                sent += services.disclosure_request_for_course(
                    course=course, person=row.person, sent_by=None) is not None
    return sent


@shared_task(acks_late=True)
def disclosure_reminders_tick() -> dict[str, int]:
    now = timezone.now()
    return {"lapsing": lapsing_disclosures_remind(today=timezone.localdate(now)),
            "missing": missing_disclosures_request(now=now),
            "dispatched": outgoing_messages_dispatch()}
