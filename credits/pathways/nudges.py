"""The office's nudge to a cohort's learners who are behind: one email per learner and overdue
step, through the outbox, whose (recipient, kind, object, occurrence) key makes a second click,
or a later tick, send nothing more for the same step."""
import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import OutgoingMessage
from accounts.services import outgoing_message_batch_queue
from credits.pathways.models import Pathway
from credits.pathways.office import NUDGE_KIND, cohort_dashboard, nudge_key, nudge_occurrence


@transaction.atomic
def pathway_behind_nudge(*, pathway: Pathway, cohort_value: str | None = None,
                         today: datetime.date | None = None) -> int:
    """Email each learner behind (of the cohort `cohort_value` names, or all) about their
    earliest overdue step, once per step; returns how many emails were queued now."""
    dashboard = cohort_dashboard(pathway=pathway, cohort_value=cohort_value, today=today)
    pathway_url = settings.SITE_URL + reverse("pathways:pathway", kwargs={"slug": pathway.slug})
    messages = []
    for row in dashboard.to_nudge:
        state = row.first_overdue
        messages.append(OutgoingMessage(
            recipient=row.enrolment.user, kind=NUDGE_KIND, object_key=nudge_key(row.enrolment),
            occurrence=nudge_occurrence(state), context={
                "pathway_title": pathway.title, "step_title": state.step.display_title,
                "due_on": state.due_on.isoformat(), "pathway_url": pathway_url,
                "done": row.progress.steps_done, "needed": row.progress.steps_needed}))
    return len(outgoing_message_batch_queue(messages=messages))
