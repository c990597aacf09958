"""Completion is recorded as soon as it happens (the hourly sweep is the backstop): a module
completed (credits.online's ModuleProgress gets its completion date) or credit claimed."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from credits.ledger.signals import course_credits_changed
from credits.online.models import ModuleProgress


def _record(user_id: int, course_id: int) -> None:
    # Three small queries, in the request: the learner sees To do change at once.
    from credits.assignments.services import assignment_completions_record

    assignment_completions_record(user_ids=[user_id], course_ids=[course_id])


@receiver(post_save, sender=ModuleProgress, dispatch_uid="assignments_module_completed")
def module_completed(sender, instance: ModuleProgress, raw: bool = False, **kwargs) -> None:
    if not raw and instance.completed_on is not None:
        transaction.on_commit(lambda: _record(instance.user_id, instance.course_id))


@receiver(course_credits_changed, dispatch_uid="assignments_credit_claimed")
def credit_claimed(sender, *, user_id: int, course_id: int, **kwargs) -> None:
    _record(user_id, course_id)  # already sent after the ledger's transaction committed
