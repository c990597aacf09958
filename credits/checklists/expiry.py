"""Re-validation before a checklist expires: the beat tick opens the learner's next cycle
CHECKLIST_REVALIDATE_DAYS_BEFORE days before the expiry, reopens their assignments of the
checklist (due on the expiry date), and the outbox reminds the learner and each of their units'
managers once per expiring cycle (the outbox's unique key: recipient,
kind, the expiring cycle and its expiry date)."""
import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_record
from credits.assignments.services import assignment_checklist_members_reopen
from credits.checklists.models import LearnerChecklist, UnitMembership
from credits.checklists.services import learner_checklist_open


def checklist_revalidations_open(*, today: datetime.date | None = None) -> dict[str, int]:
    """Open the next cycle of every expiring checklist and record the reminders. Idempotent:
    a second run the same day opens nothing and records nothing new."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.CHECKLIST_REVALIDATE_DAYS_BEFORE)
    expiring = list(
        LearnerChecklist.objects.filter(status=LearnerChecklist.Status.COMPLETED,
                                        expires_on__isnull=False, expires_on__lte=horizon,
                                        learner__is_active=True)
        .select_related("checklist", "learner").order_by("pk"))
    latest: dict[tuple[int, int], LearnerChecklist] = {}
    for row in expiring:
        key = (row.checklist_id, row.learner_id)
        if key not in latest or row.cycle > latest[key].cycle:
            latest[key] = row
    # Later cycles of the same learner and checklist: (checklist, learner) -> {cycle: status}.
    later: dict[tuple[int, int], dict[int, str]] = {}
    for checklist_id, learner_id, cycle, status in LearnerChecklist.objects.filter(
            checklist_id__in={key[0] for key in latest},
            learner_id__in={key[1] for key in latest}).values_list(
                "checklist_id", "learner_id", "cycle", "status"):
        later.setdefault((checklist_id, learner_id), {})[cycle] = status
    managers: dict[int, list[int]] = {}
    for member_id, manager_id in UnitMembership.objects.filter(
            is_manager=True, unit__memberships__user_id__in={key[1] for key in latest},
            unit__memberships__is_manager=False).values_list("unit__memberships__user_id",
                                                               "user_id"):
        managers.setdefault(member_id, []).append(manager_id)
    opened, reopened, messages = 0, 0, []
    for (checklist_id, learner_id), previous in latest.items():
        cycles = {cycle: status for cycle, status in later.get((checklist_id, learner_id),
                                                                {}).items()
                  if cycle > previous.cycle}
        if LearnerChecklist.Status.COMPLETED in cycles.values():
            continue  # already re-validated
        next_cycle = learner_checklist_open(checklist=previous.checklist,
                                            learner=previous.learner)
        opened += not cycles
        reopened += assignment_checklist_members_reopen(
            checklist_id=checklist_id, user_id=learner_id, completed_on=previous.completed_on,
            expires_on=previous.expires_on)
        context = {"checklist_title": previous.checklist.title,
                   "learner_name": previous.learner.display_name,
                   "expires_on": previous.expires_on.isoformat(),
                   "days_left": (previous.expires_on - today).days,
                   "checklist_url": settings.SITE_URL + reverse(
                       "checklists:mine_detail", args=[next_cycle.pk])}
        common = {"object_key": f"learner-checklist:{previous.pk}",
                  "occurrence": f"expires-{previous.expires_on.isoformat()}"}
        messages.append(OutgoingMessage(recipient_id=learner_id,
                                        kind="checklist_revalidation_due", context=context,
                                        **common))
        for manager_id in managers.get(learner_id, []):
            messages.append(OutgoingMessage(recipient_id=manager_id,
                                            kind="checklist_revalidation_due_manager",
                                            context=context, **common))
    outgoing_messages_record(messages=messages)
    return {"opened": opened, "assignments_reopened": reopened, "reminders": len(messages)}
