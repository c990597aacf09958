"""The demo's one entry point: its areas, in the order they build on each other.

A new area (SCORM packages, video meetings, skills checklists, pathways, another profession)
is one module with `plan(demo)` and `seed(demo)` (and `today(demo)` if something happens live
this morning), and one line in AREAS after the areas it uses.
"""
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import OutgoingMessage, User

from . import (
    assignments,
    catalog,
    checklists,
    colleagues,
    drills,
    history,
    interprofessional,
    online,
    pathways,
    people,
    scorm,
    series,
    virtual,
)
from .context import Demo, Plan

AREAS = (
    people,       # the four logins and forty colleagues
    catalog,      # upcoming activities, their faculty and disclosures
    history,      # Dr Raman's and Ana Costa's past activities, claims and CPE Monitor reports
    colleagues,   # a year of the colleagues' activities and outside CME
    interprofessional,  # the sepsis huddle workshop: IPCE and four professions' credit
    online,       # the opioid module, Dr Raman three lessons in
    scorm,        # two SCORM packages: hand hygiene (1.2) and central-line care (2004)
    assignments,  # required training, done, in progress and overdue
    drills,       # the sepsis drill, Dr Raman part-way
    virtual,      # last week's grand rounds on Zoom: minutes per learner, a review list
    series,       # grand rounds' coordinator page: what sessions lack, a late claim waiting
    checklists,   # annual nursing competencies, two units, validations by Marcus Lee
    pathways,     # the sepsis champion track (Dr Raman part-way), the nurse residency cohort
)


def demo_plan(*, now=None) -> list[Plan]:
    """What seeding will create, area by area."""
    demo = Demo(now=now or timezone.now())
    return [area.plan(demo) for area in AREAS]


@transaction.atomic
def demo_seed(*, now=None) -> Demo:
    """Create what is missing and move the upcoming sessions to their dates relative to today;
    a second run the same day changes nothing."""
    demo = Demo(now=now or timezone.now())
    outbox_before = OutgoingMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    for area in AREAS:
        area.seed(demo)
    _past_mail_delivered(demo, after_pk=outbox_before)
    for area in AREAS:
        if hasattr(area, "today"):
            area.today(demo)
    return demo


def _past_mail_delivered(demo: Demo, *, after_pk: int) -> None:
    """The mail the replayed past owed the demo's people (enrolment confirmations, requests for
    disclosure, yesterday's drill questions...) went out when it happened: it is recorded as
    sent, not sent again today. The workers' sending is the one step the demo does not replay
    (it would print a year of email to the console); what `today` queues goes out as usual, and
    nobody else's mail is touched."""
    emails = [account.email for plan in demo_plan(now=demo.now) for account in plan.accounts]
    OutgoingMessage.objects.filter(
        pk__gt=after_pk, status=OutgoingMessage.Status.QUEUED,
        recipient__in=User.objects.filter(email__in=emails),
    ).update(status=OutgoingMessage.Status.SENT, sent_at=demo.now, attempts=1)
