"""A pathway's completion is recorded as soon as its last needed step is: a module completed
(credits.online's ModuleProgress gets its completion date), credit claimed for a course,
drill or assigned training, or a skills checklist validated (completed)."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from credits.checklists.models import LearnerChecklist
from credits.ledger.signals import course_credits_changed
from credits.online.models import ModuleProgress
from credits.pathways.services import pathway_completions_record


@receiver(post_save, sender=ModuleProgress, dispatch_uid="pathways_module_completed")
def module_completed(sender, instance: ModuleProgress, raw: bool = False, **kwargs) -> None:
    if not raw and instance.completed_on is not None:
        transaction.on_commit(lambda: pathway_completions_record(user_ids=[instance.user_id]))


@receiver(course_credits_changed, dispatch_uid="pathways_credit_claimed")
def credit_claimed(sender, *, user_id: int, **kwargs) -> None:
    pathway_completions_record(user_ids=[user_id])  # sent after the ledger's transaction


@receiver(post_save, sender=LearnerChecklist, dispatch_uid="pathways_checklist_validated")
def checklist_validated(sender, instance: LearnerChecklist, raw: bool = False, **kwargs) -> None:
    if not raw and instance.completed_on is not None:
        transaction.on_commit(lambda: pathway_completions_record(user_ids=[instance.learner_id]))
