"""A claimed ACPE credit or ABIM MOC point gets its report record when the claim commits."""
from django.dispatch import receiver

from credits.ledger.signals import course_credits_changed


@receiver(course_credits_changed, dispatch_uid="board_reports_sync_on_credit_change")
def board_reports_sync_on_credit_change(sender, *, user_id: int, course_id: int,
                                        **kwargs) -> None:
    from credits.boards.services import board_reports_sync

    board_reports_sync(user_id=user_id, course_id=course_id)
