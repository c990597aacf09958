"""Writes for Open Badges credentials: issue one signed credential per certificate version."""
from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from credits.certificates.models import STATUS_LIST_SIZE, Certificate, CertificateCredential
from credits.certificates.openbadges.credential import credential_payload, sign

# A list takes new entries until half full, so a random free index is found in a few tries.
_LIST_FILL = STATUS_LIST_SIZE // 2


def _status_entry() -> tuple[int, int]:
    # The highest id, read from the primary key's index, bounds the number issued (a count
    # would scan every credential on each issue); gaps only leave a list emptier.
    issued = CertificateCredential.objects.aggregate(highest=Max("pk"))["highest"] or 0
    return 1 + issued // _LIST_FILL, secrets.randbelow(STATUS_LIST_SIZE)


def certificate_credential_issue(*, certificate: Certificate) -> CertificateCredential | None:
    """The credential of the certificate's current version, issued on first call.

    None for a revoked certificate. Idempotent: one row per (certificate, version) held by a
    unique constraint; the status index is random (Bitstring Status List: herd privacy) and a
    collision, caught by the other unique constraint, draws again.
    """
    if certificate.status == Certificate.Status.REVOKED:
        return None
    existing = CertificateCredential.objects.filter(
        certificate=certificate, version=certificate.version).first()
    if existing:
        return existing
    for _attempt in range(20):
        status_list, status_index = _status_entry()
        entry = CertificateCredential(certificate=certificate, version=certificate.version,
                                      status_list=status_list, status_index=status_index,
                                      issued_at=timezone.now().replace(microsecond=0))
        entry.token = sign(credential_payload(certificate=certificate, entry=entry))
        try:
            with transaction.atomic():
                entry.save()
            return entry
        except IntegrityError:
            existing = CertificateCredential.objects.filter(
                certificate=certificate, version=certificate.version).first()
            if existing:  # another request issued it first
                return existing
    raise RuntimeError("No free status list index after 20 draws.")
