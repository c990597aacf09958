"""Credit earned outside the portal: the activity, its certificate and a ledger record."""
import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from credits.ledger.models import CreditRecord, ExternalActivity
from credits.ledger.services import credit_record_create

CERTIFICATE_EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def external_activity_create(*, user: User, provider: str, title: str, completed_on,
                             credit_type: str, amount: Decimal, topics, certificate,
                             certificate_mime: str,
                             now: datetime.datetime | None = None) -> ExternalActivity:
    """Record an outside activity with its certificate, and credit it to the ledger at `now`
    (when the learner recorded it)."""
    extension = CERTIFICATE_EXTENSIONS.get(certificate_mime)
    if extension is None:
        raise ValidationError("The certificate must be a PDF, PNG or JPEG.")
    # The stored name is random: the learner's file name is neither trusted nor exposed.
    certificate.name = f"{secrets.token_urlsafe(16)}.{extension}"
    with transaction.atomic():
        activity = ExternalActivity.objects.create(
            user=user, provider=provider.strip(), title=title.strip(), completed_on=completed_on,
            credit_type=credit_type, amount=amount, certificate=certificate)
        activity.topics.set(topics)
        credit_record_create(user=user, external_activity=activity, credit_type=credit_type,
                             amount=amount, completed_on=completed_on,
                             source=CreditRecord.Source.EXTERNAL, actor=user, now=now)
    return activity


def external_activity_verify(*, activity: ExternalActivity, actor: User) -> ExternalActivity:
    """An administrator confirms the certificate matches what the learner entered."""
    with transaction.atomic():
        activity = ExternalActivity.objects.select_for_update().get(pk=activity.pk)
        if activity.verified_at is None:
            activity.verified_at = timezone.now()
            activity.verified_by = actor
            activity.save(update_fields=["verified_at", "verified_by"])
    return activity
