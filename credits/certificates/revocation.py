"""The education office's revocation of a certificate (issued in error, misconduct, a record
found false): the write, kept beside services.py, which is at its length.

Revoking changes the certificate's status, so everything that reads the status follows with no
second write: the verification page says revoked and since when, the Open Badges status list sets
the credential's bit (credits/certificates/openbadges/selectors.py), downloads and the transcript
link stop. The learner's credit records are not touched: voiding credit is the ledger's own,
audited, action.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from credits.certificates.models import Certificate, CertificateRevocation


def certificate_revoke(*, certificate: Certificate, actor: User, reason: str,
                       now: datetime.datetime | None = None) -> CertificateRevocation:
    """Revoke a certificate with a reason kept for audit. A second revocation (a double click,
    a stale page) is refused with a message rather than recorded twice."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for revoking this certificate; it is kept with "
                              "the revocation.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise ValidationError("This certificate is already revoked.")
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = now
        locked.save(update_fields=["status", "revoked_at", "updated_at"])
        return CertificateRevocation.objects.create(certificate=locked, revoked_by=actor,
                                                    reason=reason, revoked_at=now)
