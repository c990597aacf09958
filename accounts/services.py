"""Writes for accounts: roles, profiles, licences, deactivation and the outgoing-message ledger."""
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import tasks
from .models import NotificationPreference, OutgoingMessage, User
from .notifications import Category, category_is_optional, kind_get
from .roles import ROLE_PERMISSIONS, Role
from .tokens import access_tokens_active_for

logger = logging.getLogger(__name__)


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


def user_role_revoke(*, user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role))
    if role == Role.ADMINISTRATOR and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)


def outgoing_message_queue(*, recipient: User, kind: str, object_key: str = "",
                           occurrence: str = "", context: dict | None = None
                           ) -> OutgoingMessage | None:
    """Record that `recipient` is owed a message and send it after commit, at most once.

    Returns the new message, or None when the same (recipient, kind, object, occurrence) was
    already recorded. Whether the recipient switched the kind's category off is decided when it
    is sent (the row is then marked skipped), so a later change of mind is honoured too.
    An unregistered kind raises UnknownEmailKind.
    """
    kind_get(kind)
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(
                recipient=recipient, kind=kind, object_key=object_key, occurrence=occurrence,
                context=context or {},
            )
    except IntegrityError:
        return None
    transaction.on_commit(partial(outgoing_messages_publish, message_ids=[message.pk]))
    return message


def outgoing_message_batch_queue(*, messages: Iterable[OutgoingMessage]) -> list[OutgoingMessage]:
    """`outgoing_message_queue` for many messages of one transaction: one insert and one
    publish after commit. Returns the new messages. When any key is already recorded the
    insert fails as a whole and the messages are queued one at a time, each skipped if
    recorded, which is rare: callers queue a message once per new occurrence."""
    rows = list(messages)
    for kind in {row.kind for row in rows}:
        kind_get(kind)
    if not rows:
        return []
    try:
        with transaction.atomic():
            OutgoingMessage.objects.bulk_create(rows)
    except IntegrityError:
        queued = [outgoing_message_queue(recipient=row.recipient, kind=row.kind,
                                         object_key=row.object_key, occurrence=row.occurrence,
                                         context=row.context) for row in rows]
        return [message for message in queued if message]
    transaction.on_commit(partial(outgoing_messages_publish,
                                  message_ids=[row.pk for row in rows]))
    return rows


def outgoing_messages_record(*, messages: Iterable[OutgoingMessage]) -> int:
    """Insert many owed messages at once, ignoring those whose key is already recorded.

    The rows stay unpublished (queued_at empty) until `outgoing_messages_dispatch` hands them
    to workers, so a reminder that falls due while the broker is down is kept, not lost.
    Returns how many rows were offered (duplicates cannot be counted without a read).
    """
    rows = list(messages)
    for kind in {row.kind for row in rows}:
        kind_get(kind)  # an unregistered kind raises UnknownEmailKind before anything is written
    for row in rows:
        row.queued_at = None
    OutgoingMessage.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def outgoing_messages_publish(*, message_ids: list[int], mark_queued: bool = True) -> bool:
    """Hand messages to the workers in batches; on a broker failure leave them for the sweep.

    Never raises: it runs after commit (a web request must not fail because Redis is down) and
    inside beat ticks. Messages queued by a transaction are recorded with queued_at empty and
    get it here once the broker has their batch (`mark_queued`), so a process killed between
    its commit and this publish leaves them for the next dispatch, a minute later, instead of
    looking handed out for OUTGOING_MESSAGE_REQUEUE_MINUTES (the cluster drill found 15 emails
    waiting 10 minutes so). The dispatcher stamps its rows itself, under its lock. Rows whose
    publish failed get their queued_at cleared, so the next dispatch re-queues them at once.
    """
    size = settings.OUTGOING_MESSAGE_BATCH_SIZE
    for start in range(0, len(message_ids), size):
        batch = message_ids[start:start + size]
        try:
            # Without retries: a broker that is down answers within its connect timeout
            # instead of blocking the caller; the sweep is the retry.
            tasks.outgoing_message_batch_send.apply_async(args=[batch], retry=False)
        except Exception:
            unpublished = message_ids[start:]
            OutgoingMessage.objects.filter(
                pk__in=unpublished, status=OutgoingMessage.Status.QUEUED,
            ).update(queued_at=None)
            logger.warning("Broker unavailable: %d message(s) stay queued for the next dispatch",
                           len(unpublished), exc_info=True)
            return False
        if mark_queued:
            OutgoingMessage.objects.filter(
                pk__in=batch, status=OutgoingMessage.Status.QUEUED, queued_at__isnull=True,
            ).update(queued_at=timezone.now())
    return True


def outgoing_messages_recover(*, now: datetime | None = None) -> int:
    """Give back to the queue the rows of every batch whose worker stopped (killed, or its
    machine lost) while sending: a batch with no sign of life (its claim, or a message handed to
    the mail server) for OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS. A live worker shows one at least
    every EMAIL_TIMEOUT, well inside the lease. Returns how many rows were given back."""
    now = now or timezone.now()
    alive_since = now - timedelta(seconds=settings.OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS)
    sign_of_life = OutgoingMessage.objects.filter(claim=OuterRef("claim")).filter(
        Q(claimed_at__gte=alive_since) | Q(send_started_at__gte=alive_since))
    stopped = list(OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENDING)
                   .exclude(Exists(sign_of_life)).values_list("claim", flat=True).distinct())
    if not stopped:
        return 0
    released = tasks.outgoing_message_claims_release(claims=stopped)
    logger.warning("Gave back %d message(s) of %d batch(es) whose worker stopped", released,
                   len(stopped))
    return released


def outgoing_messages_dispatch(*, now: datetime | None = None) -> int:
    """Hand every queued message that no worker has been given (or that was lost) to workers.

    Picks queued rows never published, or published and still not picked up, whose retry time
    has come. A published row is taken for lost (its task died with a worker that had received
    it but not yet claimed its rows, or with the broker) after OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS
    when no batch is being sent, since an idle worker takes a waiting task at once; while
    workers are sending, rows may be waiting their turn in the broker, so only after
    OUTGOING_MESSAGE_REQUEUE_MINUTES. Rows are claimed with SKIP LOCKED, so two beats running at
    once hand each row out once; a second delivery of the same row is harmless because the
    worker claims it by status. First gives back the rows of batches whose worker stopped (see
    outgoing_messages_recover). Returns how many were handed out.
    """
    now = now or timezone.now()
    outgoing_messages_recover(now=now)
    stale_before = now - timedelta(minutes=settings.OUTGOING_MESSAGE_REQUEUE_MINUTES)
    if not OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENDING).exists():
        stale_before = now - timedelta(seconds=settings.OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS)
    handed_out = 0
    chunk = settings.OUTGOING_MESSAGE_BATCH_SIZE * 25
    while True:
        with transaction.atomic():
            ids = list(
                OutgoingMessage.objects.select_for_update(skip_locked=True)
                .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale_before),
                        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                        status=OutgoingMessage.Status.QUEUED)
                .order_by("pk").values_list("pk", flat=True)[:chunk]
            )
            OutgoingMessage.objects.filter(pk__in=ids).update(queued_at=now)
        if not ids:
            return handed_out
        if not outgoing_messages_publish(message_ids=ids, mark_queued=False):
            return handed_out
        handed_out += len(ids)


def outgoing_messages_resend(*, message_ids: Iterable[int]) -> int:
    """Queue failed messages again (admin action); attempts start afresh."""
    with transaction.atomic():
        ids = list(OutgoingMessage.objects.select_for_update()
                   .filter(pk__in=list(message_ids), status=OutgoingMessage.Status.FAILED)
                   .values_list("pk", flat=True))
        OutgoingMessage.objects.filter(pk__in=ids).update(
            status=OutgoingMessage.Status.QUEUED, attempts=0, next_attempt_at=None,
            claimed_at=None, queued_at=None)
        transaction.on_commit(partial(outgoing_messages_publish, message_ids=ids))
    return len(ids)


@transaction.atomic
def notification_preferences_update(*, user: User, enabled: dict[str, bool]) -> None:
    """Switch optional categories on or off; account emails cannot be switched off."""
    for category, is_enabled in enabled.items():
        if not category_is_optional(category) or category not in Category.values:
            raise ValidationError(f"{category} emails cannot be switched off.")
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"enabled": is_enabled})


def notification_category_unsubscribe(*, user_id: int, category: str) -> User:
    """The one-click unsubscribe: switch one category off for one person."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError("This unsubscribe link names an account that no longer exists.")
    notification_preferences_update(user=user, enabled={category: False})
    return user


@dataclass
class Deactivation:
    sessions_ended: int
    tokens_revoked: int


def user_deactivate(*, user: User) -> Deactivation:
    """Turn an account off and sign the person out everywhere, keeping every row they own.

    `is_active=False` already makes every session anonymous at its next request (the auth
    backends refuse inactive users); the sessions are deleted as well, so nothing of the
    sign-in survives a later reactivation, and the person's own API tokens are revoked.
    Deactivating twice changes nothing more.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        user.is_active = False
        revoked = access_tokens_active_for(user=user).update(revoked_at=timezone.now())
        # Sessions are stored signed and serialised, so the person's are found by reading
        # the live ones: a deactivation is rare, and this is the only way to reach them all.
        owned = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now())
                 .iterator(chunk_size=2000)
                 if session.get_decoded().get(SESSION_KEY) == str(user.pk)]
        Session.objects.filter(pk__in=owned).delete()
    return Deactivation(sessions_ended=len(owned), tokens_revoked=revoked)


def user_reactivate(*, user: User) -> None:
    User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    user.is_active = True


def user_email_vouch(*, user: User) -> None:
    """The identity provider vouches for the account's address (SCIM): it becomes the verified
    primary address allauth signs the person in and writes to; older addresses stay, secondary."""
    from allauth.account.models import EmailAddress

    if EmailAddress.objects.filter(email__iexact=user.email, verified=True).exclude(
            user=user).exists():
        raise ValidationError(f"Another account has verified {user.email}.")
    EmailAddress.objects.filter(user=user, primary=True).exclude(
        email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(user=user, email__iexact=user.email, defaults={
        "email": user.email, "verified": True, "primary": True})
