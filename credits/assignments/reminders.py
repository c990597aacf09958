"""Required-training reminders, recorded in the outgoing-message ledger by the beat tick: one
REMINDER_DAYS_BEFORE days before the due date (or at once, if assigned closer to it) and one
when overdue, each exactly once per period (the ledger's unique key, with the period's due date
in the occurrence). Learners cannot switch these off (Category.REQUIRED_TRAINING)."""
import datetime
import itertools
from collections.abc import Callable

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_record
from courses.reminders import course_url
from credits.assignments.models import Assignment, AssignmentMember

REMINDER_DAYS_BEFORE = 7
# Rows an insert: a January burst's first reminders go out while the rest are recorded.
RECORD_CHUNK = 2000


def member_object_key(member_id: int) -> str:
    return f"assignment-member:{member_id}"


def _sent(kind: str, prefix: str) -> Exists:
    return Exists(OutgoingMessage.objects.filter(
        recipient=OuterRef("user_id"), kind=kind,
        object_key=Concat(Value("assignment-member:"), Cast(OuterRef("pk"), CharField())),
        occurrence=Concat(Value(prefix), Cast(OuterRef("due_on"), CharField()))))


def assignment_reminders_due_record(*, today: datetime.date | None = None,
                                    chunk_recorded: Callable[[], object] | None = None,
                                    chunk_size: int = RECORD_CHUNK) -> int:
    """Record the reminders due today, `chunk_size` rows per insert, calling `chunk_recorded`
    after each (the tick dispatches there, so workers send a January burst while the rest is
    recorded). Reads each assignment once, whatever its number of learners: three reads, then
    one insert per chunk."""
    today = today or timezone.localdate()
    open_members = AssignmentMember.objects.filter(
        completed_on__isnull=True, assignment__status=Assignment.Status.ACTIVE,
        user__is_active=True)
    overdue = open_members.filter(due_on__lt=today).exclude(_sent("assignment_overdue",
                                                                  "overdue-"))
    soon = (open_members.filter(due_on__gte=today,
                                due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE))
            .exclude(_sent("assignment_due_soon", "due-"))
            # A checklist reopened by its expiry has had its reminder, to the learner and their
            # managers, from the re-validation tick (credits/checklists/expiry.py).
            .exclude(assignment__checklist__isnull=False, period_starts_after__isnull=False))
    due = [(kind, prefix, list(members.values_list("pk", "user_id", "due_on", "assignment_id")))
           for kind, prefix, members in (("assignment_overdue", "overdue-", overdue),
                                         ("assignment_due_soon", "due-", soon))]
    about = _assignments_context({row[3] for _, _, rows in due for row in rows})
    messages = (
        OutgoingMessage(recipient_id=user_id, kind=kind, object_key=member_object_key(member_id),
                        occurrence=f"{prefix}{due_on.isoformat()}",
                        context={**about[assignment_id], "due_on": due_on.isoformat(),
                                 "days_left": (due_on - today).days})
        for kind, prefix, rows in due for member_id, user_id, due_on, assignment_id in rows)
    offered = 0
    while chunk := list(itertools.islice(messages, chunk_size)):
        offered += outgoing_messages_record(messages=chunk)
        if chunk_recorded:
            chunk_recorded()
    return offered


def _assignments_context(assignment_ids: set[int]) -> dict[int, dict[str, str]]:
    """What every reminder of an assignment says alike: its title, what is assigned and where
    the learner does it."""
    assignments = (Assignment.objects.filter(pk__in=assignment_ids)
                   .select_related("course", "checklist"))
    return {assignment.pk: {
        "assignment_title": assignment.title,
        "course_title": assignment.item_title,
        "course_url": (course_url(assignment.course) if assignment.course_id
                       else settings.SITE_URL + assignment.item_url),
    } for assignment in assignments}
