"""A claim (or a voided or replaced record) brings the learner's submissions up to date when
it commits."""
from django.dispatch import receiver

from credits.ledger.signals import course_credits_changed


@receiver(course_credits_changed, dispatch_uid="submissions_sync_on_credit_change")
def submissions_sync_on_credit_change(sender, *, user_id: int, course_id: int, **kwargs) -> None:
    from credits.webservices.services import submissions_sync

    submissions_sync(user_id=user_id, course_id=course_id)
