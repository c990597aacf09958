"""Signal receivers: role groups after migrate, the welcome email after verification."""
from allauth.account.signals import email_confirmed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .services import outgoing_message_queue, role_groups_sync


@receiver(post_migrate)
def _sync_role_groups(sender, **kwargs) -> None:
    role_groups_sync()


@receiver(email_confirmed)
def _queue_welcome_email(sender, request, email_address, **kwargs) -> None:
    # Keyed per user, so confirming a changed address later sends no second welcome.
    outgoing_message_queue(recipient=email_address.user, kind="welcome",
                           object_key=f"user:{email_address.user_id}")
