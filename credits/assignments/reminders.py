"""Required-training reminders, recorded in the outgoing-message ledger by the beat tick: one
REMINDER_DAYS_BEFORE days before the due date (or at once, if assigned closer to it) and one
when overdue, each exactly once per period (the ledger's unique key, with the period's due date
in the occurrence). Learners cannot switch these off (Category.REQUIRED_TRAINING)."""
import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_record
from courses.reminders import course_url
from credits.assignments.models import Assignment, AssignmentMember

REMINDER_DAYS_BEFORE = 7


def member_object_key(member_id: int) -> str:
    return f"assignment-member:{member_id}"


def _sent(kind: str, prefix: str) -> Exists:
    return Exists(OutgoingMessage.objects.filter(
        recipient=OuterRef("user_id"), kind=kind,
        object_key=Concat(Value("assignment-member:"), Cast(OuterRef("pk"), CharField())),
        occurrence=Concat(Value(prefix), Cast(OuterRef("due_on"), CharField()))))


def assignment_reminders_due_record(*, today: datetime.date | None = None) -> int:
    """Record the reminders due today; two queries and one insert, however many learners."""
    today = today or timezone.localdate()
    open_members = (AssignmentMember.objects
                    .filter(completed_on__isnull=True, assignment__status=Assignment.Status.ACTIVE,
                            user__is_active=True)
                    .select_related("assignment__course", "assignment__checklist"))
    overdue = open_members.filter(due_on__lt=today).exclude(_sent("assignment_overdue",
                                                                  "overdue-"))
    soon = (open_members.filter(due_on__gte=today,
                                due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE))
            .exclude(_sent("assignment_due_soon", "due-"))
            # A checklist reopened by its expiry has had its reminder, to the learner and their
            # managers, from the re-validation tick (credits/checklists/expiry.py).
            .exclude(assignment__checklist__isnull=False, period_starts_after__isnull=False))
    messages = []
    for kind, prefix, members in (("assignment_overdue", "overdue-", overdue),
                                  ("assignment_due_soon", "due-", soon)):
        for member in members:
            assignment = member.assignment
            messages.append(OutgoingMessage(
                recipient_id=member.user_id, kind=kind,
                object_key=member_object_key(member.pk),
                occurrence=f"{prefix}{member.due_on.isoformat()}",
                context={"assignment_title": assignment.title,
                         "course_title": assignment.item_title,
                         "course_url": (course_url(assignment.course) if assignment.course_id
                                        else settings.SITE_URL + assignment.item_url),
                         "due_on": member.due_on.isoformat(),
                         "days_left": (member.due_on - today).days}))
    return outgoing_messages_record(messages=messages)
