"""Writes for accounts: roles, profiles, licences and the outgoing-message ledger."""
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from .models import OutgoingMessage, User
from .roles import ROLE_PERMISSIONS, Role


def role_groups_sync() -> None:
    """Create the role groups and grant exactly the permissions the code names."""
    for role, entries in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        granted: set[int] = set()
        for entry in entries:
            app_label, codename = entry.lstrip("-").split(".", 1)
            matching = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                matching = matching.filter(codename=codename)
            ids = set(matching.values_list("pk", flat=True))
            granted = granted - ids if entry.startswith("-") else granted | ids
        group.permissions.set(granted)


def user_role_grant(*, user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)


def message_queue(*, recipient: User, kind: str, object_key: str = "", occurrence: str = "",
                  context: dict | None = None) -> OutgoingMessage | None:
    """Record that `recipient` is owed a message and send it after commit, at most once.

    Returns the new message, or None when the same (recipient, kind, object, occurrence) was
    already queued or sent.
    """
    from .tasks import send_outgoing_message

    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(
                recipient=recipient, kind=kind, object_key=object_key, occurrence=occurrence,
                context=context or {},
            )
    except IntegrityError:
        return None
    send_outgoing_message.delay_on_commit(message.pk)
    return message
