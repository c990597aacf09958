"""Background email delivery for the outgoing-message ledger.

The apps' beat ticks (registered in accounts.beat) record what is due as OutgoingMessage rows
and hand them to workers in batches of ids. A worker claims its rows by status
(`select_for_update(skip_locked=True)`, queued -> sending, all under one random batch claim),
sends them over one SMTP connection, and records each row's outcome as soon as it is known:
`send_started_at` just before the mail server is given it, then sent, failed (retried with
backoff by the next dispatch) or skipped (the recipient switched the category off). So a row's
state always says whether its message went out; docs/email.md states the delivery guarantee
this gives when a worker is killed.
"""
import json
import logging
import secrets
import smtplib
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape

from .emails import MERGE_FIELDS, email_from_parts, merge_placeholder, render_email_parts
from .models import NotificationPreference, OutgoingMessage
from .notifications import (
    UnknownEmailKind,
    category_is_optional,
    kind_category,
    kind_is_mail_merge,
    unsubscribe_headers,
    unsubscribe_url,
)
from .pwa.services import push_deliveries_record

logger = logging.getLogger(__name__)
SEND_ERRORS = (TimeoutError, smtplib.SMTPException, OSError)


def _retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 ... minutes, capped at an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def _claim(message_ids: list[int], claim: int) -> list[OutgoingMessage]:
    """Take the still-queued rows among `message_ids` for this worker alone, as batch `claim`."""
    now = timezone.now()
    with transaction.atomic():
        messages = list(
            OutgoingMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=message_ids, status=OutgoingMessage.Status.QUEUED)
            .order_by("pk")
        )
        if messages:
            OutgoingMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                status=OutgoingMessage.Status.SENDING, claimed_at=now, claim=claim,
                send_started_at=None)
    return messages


CRASH_WINDOW_NOTE = ("The worker stopped while handing this message to the mail server, so it may "
                     "have gone out; it is sent again with the same Message-ID, which lets the "
                     "receiving server drop a second copy.")


def outgoing_message_claims_release(*, claims: list[int]) -> int:
    """Give the rows still `sending` in these batches back to the queue, to go out at once.

    A row whose send had not started cannot have gone out and is simply queued again. The one
    a worker was handing to the mail server when it stopped may have gone out: it is queued
    again with a note and counts an attempt (so a message that kills its worker every time ends
    failed, with the note), and goes out with the same Message-ID. Returns how many were given
    back.
    """
    in_claims = OutgoingMessage.objects.filter(claim__in=claims,
                                               status=OutgoingMessage.Status.SENDING)
    released = in_claims.filter(send_started_at__isnull=True).update(
        status=OutgoingMessage.Status.QUEUED, claim=None, claimed_at=None, queued_at=None)
    uncertain = in_claims.filter(send_started_at__isnull=False)
    released += uncertain.filter(
        attempts__gte=settings.OUTGOING_MESSAGE_MAX_ATTEMPTS - 1,
    ).update(status=OutgoingMessage.Status.FAILED, attempts=F("attempts") + 1,
             last_error=CRASH_WINDOW_NOTE, claim=None, send_started_at=None)
    released += uncertain.update(
        status=OutgoingMessage.Status.QUEUED, attempts=F("attempts") + 1,
        last_error=CRASH_WINDOW_NOTE, claim=None, claimed_at=None, send_started_at=None,
        queued_at=None, next_attempt_at=None)
    return released


def _switched_off(messages: list[OutgoingMessage]) -> set[tuple[int, str]]:
    """(user id, category) pairs among these recipients that are switched off."""
    return set(NotificationPreference.objects.filter(
        user_id__in={m.recipient_id for m in messages}, enabled=False,
    ).values_list("user_id", "category"))


def _context(message: OutgoingMessage) -> dict:
    """The stored context, with ISO strings under keys ending in `_at` (datetimes) and `_on`
    (dates) parsed again, so templates show times in the recipient's zone."""
    context = dict(message.context)
    for key, value in context.items():
        if not isinstance(value, str):
            continue
        try:
            if key.endswith("_at"):
                context[key] = datetime.fromisoformat(value)
            elif key.endswith("_on"):
                context[key] = date.fromisoformat(value)
        except ValueError:
            continue
    return context


# Stand-ins a mail-merge rendering carries in place of the per-recipient values; plain letters,
# so autoescaping and URL quoting leave them intact.
MERGE_NAME = merge_placeholder("FullName")
MERGE_UNSUBSCRIBE_URL = merge_placeholder("UnsubscribeUrl")


class _MergeRecipient:
    full_name = MERGE_NAME


def _fill(parts: tuple[str, str, str], values: dict[str, str]) -> tuple[str, str, str]:
    """Each stand-in replaced by its value, HTML-escaped in the HTML part."""
    subject, text_body, html_body = parts
    for placeholder, value in values.items():
        subject = subject.replace(placeholder, value)
        text_body = text_body.replace(placeholder, value)
        html_body = html_body.replace(placeholder, escape(value))
    return subject, text_body, html_body


def _build(message: OutgoingMessage, unsubscribe_links: dict, merged_parts: dict | None = None):
    """The email for one message. Mail-merge kinds are rendered once per (kind, context,
    time zone, language) in `merged_parts` and personalised by substitution: the recipient's
    name, the unsubscribe link and the context's own MERGE_FIELDS (a drill's signed answer
    links), which are left out of the group's key."""
    recipient = message.recipient
    category = kind_category(message.kind)
    common = {}
    headers = None
    url = ""
    if category_is_optional(category):
        key = (recipient.pk, category)
        if key not in unsubscribe_links:
            unsubscribe_links[key] = unsubscribe_url(user_id=recipient.pk, category=category)
        url = unsubscribe_links[key]
        common = {"notification_category": category.label,
                  "preferences_url": f"{settings.SITE_URL}/accounts/notifications/"}
        headers = unsubscribe_headers(url)
    context = _context(message)
    fields = context.pop(MERGE_FIELDS, {})
    if merged_parts is not None and kind_is_mail_merge(message.kind):
        shared = {key: value for key, value in message.context.items() if key != MERGE_FIELDS}
        group = (message.kind, recipient.time_zone, recipient.language,
                 json.dumps(shared, sort_keys=True, cls=DjangoJSONEncoder))
        if group not in merged_parts:
            merged_parts[group] = render_email_parts(
                kind=message.kind, recipient_time_zone=recipient.time_zone,
                recipient_language=recipient.language,
                context={"recipient": _MergeRecipient(), **context, **common,
                         "unsubscribe_url": MERGE_UNSUBSCRIBE_URL if url else ""})
        parts = _fill(merged_parts[group], {MERGE_NAME: recipient.full_name,
                                            MERGE_UNSUBSCRIBE_URL: url, **fields})
    else:
        parts = _fill(render_email_parts(
            kind=message.kind, recipient_time_zone=recipient.time_zone,
            recipient_language=recipient.language,
            context={"recipient": recipient, **context, **common,
                     **({"unsubscribe_url": url} if url else {})}), fields)
    return email_from_parts(parts=parts, to=recipient.email,
                            extra_headers={**(headers or {}), "Message-ID": message_id(message)})


def message_id(message: OutgoingMessage) -> str:
    """The Message-ID header, made of the row alone: every send of one row carries the same one,
    so a receiving server that drops repeated Message-IDs drops the second copy a worker stopped
    mid-send may cause (RFC 5322 makes it the message's identity)."""
    created = int(message.created_at.timestamp() * 1_000_000)
    return f"<outgoing.{message.pk}.{created}@{urlsplit(settings.SITE_URL).hostname}>"


def _send_start(message: OutgoingMessage, claim: int) -> bool:
    """Note that `message` is about to go to the mail server, if this batch still holds it (the
    dispatcher gives back the rows of a batch whose worker showed no sign of life for a lease;
    each note here is that sign). Committed before the send: a row still `sending` without it
    cannot have gone out."""
    return bool(OutgoingMessage.objects.filter(
        pk=message.pk, claim=claim, status=OutgoingMessage.Status.SENDING,
    ).update(send_started_at=timezone.now()))


def _sent(message: OutgoingMessage, claim: int) -> None:
    """Committed as soon as the mail server accepted it: a crash after this sends it no more."""
    OutgoingMessage.objects.filter(pk=message.pk, claim=claim).update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now(), last_error="",
        attempts=F("attempts") + 1)


def _failed(message: OutgoingMessage, error: str) -> None:
    """The mail server refused it or it could not be rendered: queued again after a backoff,
    or failed for good after OUTGOING_MESSAGE_MAX_ATTEMPTS."""
    attempts = message.attempts + 1
    gave_up = attempts >= settings.OUTGOING_MESSAGE_MAX_ATTEMPTS
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=OutgoingMessage.Status.FAILED if gave_up else OutgoingMessage.Status.QUEUED,
        attempts=attempts, last_error=error, queued_at=None, claim=None, send_started_at=None,
        next_attempt_at=None if gave_up else timezone.now() + _retry_delay(attempts))
    logger.warning("Sending %s failed (attempt %s%s): %s", message, attempts,
                   ", giving up" if gave_up else "", error)


def outgoing_message_batch_send_now(message_ids: list[int]) -> dict[str, int]:
    """Send the still-queued messages among `message_ids` over one SMTP connection, recording
    each one's outcome as soon as it is known."""
    claim = secrets.randbits(62)
    messages = _claim(message_ids, claim)
    outcome = {"sent": 0, "skipped": 0, "failed": 0}
    if not messages:
        return outcome
    try:
        _send_claimed(messages, claim, outcome)
    finally:
        # Rows this run did not get to (the dispatcher took the batch back, or an error such as
        # the soft time limit stopped it) go back to the queue at once.
        outgoing_message_claims_release(claims=[claim])
    return outcome


def _send_claimed(messages: list[OutgoingMessage], claim: int, outcome: dict[str, int]) -> None:
    switched_off = _switched_off(messages)
    to_send = []
    skipped = []
    for message in messages:
        try:
            category = kind_category(message.kind)
        except UnknownEmailKind:
            # Left to _build, which fails it with the reason for the CME office to see.
            category = None
        if (message.recipient_id, category) in switched_off:
            skipped.append(message.pk)
        else:
            to_send.append(message)
    if skipped:
        OutgoingMessage.objects.filter(pk__in=skipped).update(
            status=OutgoingMessage.Status.SKIPPED)
        outcome["skipped"] = len(skipped)

    unsubscribe_links: dict = {}
    merged_parts: dict = {}
    connection = get_connection()
    try:
        connection.open()
        for message in to_send:
            try:
                email = _build(message, unsubscribe_links, merged_parts)
            except Exception as error:
                # A message that cannot be rendered (a missing template, bad context) must not
                # hold up the rest of the batch; it is recorded for the CME office to see.
                logger.exception("Could not render %s", message)
                _failed(message, f"{type(error).__name__}: {error}")
                outcome["failed"] += 1
                continue
            if not _send_start(message, claim):
                logger.warning("Batch %s was given back while sending; stopping", claim)
                return
            try:
                email.connection = connection
                connection.send_messages([email])
            except SEND_ERRORS as error:
                _failed(message, f"{type(error).__name__}: {error}")
                outcome["failed"] += 1
                # A broken connection is reopened for the rest of the batch.
                connection.close()
            else:
                _sent(message, claim)
                outcome["sent"] += 1
                # The push beside the email (drills, reminders, required training), once.
                push_deliveries_record(message=message, title=email.subject)
    except SEND_ERRORS as error:
        # The server could not be reached at all: nothing of what is left went out.
        for message in to_send:
            if OutgoingMessage.objects.filter(pk=message.pk, claim=claim,
                                              send_started_at__isnull=True).exists():
                _failed(message, f"{type(error).__name__}: {error}")
                outcome["failed"] += 1
    finally:
        connection.close()


@shared_task(acks_late=True)
def outgoing_message_batch_send(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of messages. Idempotent: rows already claimed, sent or skipped are left
    alone, so a second delivery of the task sends nothing twice. Failed sends are retried by
    the dispatcher after a backoff (no Celery countdown, which Redis would redeliver)."""
    return outgoing_message_batch_send_now(message_ids)
