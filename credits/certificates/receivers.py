"""Issue, reissue or revoke a learner's certificate whenever their credit for a course changes."""
from django.dispatch import receiver

from credits.ledger.signals import course_credits_changed


@receiver(course_credits_changed, dispatch_uid="certificate_sync_on_credit_change")
def certificate_sync_on_credit_change(sender, *, user_id: int, course_id: int, **kwargs) -> None:
    from credits.certificates.services import certificate_sync

    certificate_sync(user_id=user_id, course_id=course_id)
