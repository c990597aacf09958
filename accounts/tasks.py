"""Background email delivery for the outgoing-message ledger.

The apps' beat ticks (registered in accounts.beat) record what is due as OutgoingMessage rows
and hand them to workers in batches of ids. A worker claims its
rows by status (`select_for_update(skip_locked=True)`, queued -> sending), sends the batch over
one SMTP connection and marks each row sent, failed (to be retried with backoff by the next
dispatch) or skipped (the recipient switched the category off).
"""
import json
import logging
import smtplib
from datetime import date, datetime, timedelta

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

logger = logging.getLogger(__name__)
SEND_ERRORS = (TimeoutError, smtplib.SMTPException, OSError)


def _retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 ... minutes, capped at an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def _claim(message_ids: list[int]) -> list[OutgoingMessage]:
    """Take the still-queued rows among `message_ids` for this worker alone."""
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
                status=OutgoingMessage.Status.SENDING, claimed_at=now)
    return messages


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
    return email_from_parts(parts=parts, to=recipient.email, extra_headers=headers)


def outgoing_message_batch_send_now(message_ids: list[int]) -> dict[str, int]:
    """Send the still-queued messages among `message_ids` over one SMTP connection."""
    messages = _claim(message_ids)
    outcome = {"sent": 0, "skipped": 0, "failed": 0}
    if not messages:
        return outcome
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

    sent: list[int] = []
    failures: list[tuple[OutgoingMessage, str]] = []
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
                failures.append((message, f"{type(error).__name__}: {error}"))
                continue
            try:
                email.connection = connection
                connection.send_messages([email])
            except SEND_ERRORS as error:
                failures.append((message, f"{type(error).__name__}: {error}"))
                # A broken connection is reopened for the rest of the batch.
                connection.close()
            else:
                sent.append(message.pk)
    except SEND_ERRORS as error:
        # The server could not be reached at all: everything not yet sent failed.
        done = set(sent) | {m.pk for m, _ in failures}
        failures += [(m, f"{type(error).__name__}: {error}") for m in to_send if m.pk not in done]
    finally:
        connection.close()

    now = timezone.now()
    if sent:
        OutgoingMessage.objects.filter(pk__in=sent).update(
            status=OutgoingMessage.Status.SENT, sent_at=now, last_error="",
            attempts=F("attempts") + 1)
    for message, error in failures:
        attempts = message.attempts + 1
        gave_up = attempts >= settings.OUTGOING_MESSAGE_MAX_ATTEMPTS
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=OutgoingMessage.Status.FAILED if gave_up else OutgoingMessage.Status.QUEUED,
            attempts=attempts, last_error=error, queued_at=None,
            next_attempt_at=None if gave_up else now + _retry_delay(attempts))
        logger.warning("Sending %s failed (attempt %s%s): %s", message, attempts,
                       ", giving up" if gave_up else "", error)
    outcome.update(sent=len(sent), failed=len(failures))
    return outcome


@shared_task(acks_late=True)
def outgoing_message_batch_send(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of messages. Idempotent: rows already claimed, sent or skipped are left
    alone, so a second delivery of the task sends nothing twice. Failed sends are retried by
    the dispatcher after a backoff (no Celery countdown, which Redis would redeliver)."""
    return outgoing_message_batch_send_now(message_ids)
