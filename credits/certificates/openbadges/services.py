"""Writes for Open Badges credentials: issue one signed credential per certificate version."""
from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from credits.certificates.models import STATUS_LIST_SIZE, Certificate, CertificateCredential
from credits.certificates.openbadges.credential import credential_payload, sign

# A list takes new entries until half full, so a random free index is found in a few tries.
_LIST_FILL = STATUS_LIST_SIZE // 2


def _issued_so_far() -> int:
    # The highest id, read from the primary key's index, bounds the number issued (a count
    # would scan every credential on each issue); gaps only leave a list emptier.
    return CertificateCredential.objects.aggregate(highest=Max("pk"))["highest"] or 0


def issued_so_far_subquery() -> Coalesce:
    """`_issued_so_far` as an expression, for a caller that reads rows anyway (the render
    annotates its lock with it and passes the figure on: one round trip fewer)."""
    return Coalesce(Subquery(CertificateCredential.objects.order_by("-pk").values("pk")[:1]), 0)


def _new_entry(certificate: Certificate, *, issued_before: int) -> CertificateCredential:
    return CertificateCredential(certificate=certificate, version=certificate.version,
                                 status_list=1 + issued_before // _LIST_FILL,
                                 status_index=secrets.randbelow(STATUS_LIST_SIZE),
                                 issued_at=timezone.now().replace(microsecond=0))


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
        entry = _new_entry(certificate, issued_before=_issued_so_far())
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


def certificate_credential_batch_issue(*, certificates: list[Certificate],
                                  issued_so_far: int) -> None:
    """`certificate_credential_issue` for the certificates of one batch render, in one insert;
    `issued_so_far` is the render's reading of `issued_so_far_subquery`. When any of them is
    already issued (or drew a taken status entry) the insert fails as a whole and they are
    issued one at a time, which is rare: a render makes a version's first credential."""
    due = [c for c in certificates if c.status != Certificate.Status.REVOKED]
    if not due:
        return
    entries: list[CertificateCredential] = []
    drawn: set[tuple[int, int]] = set()
    for offset, certificate in enumerate(due):
        entry = _new_entry(certificate, issued_before=issued_so_far + offset)
        while (entry.status_list, entry.status_index) in drawn:
            entry.status_index = secrets.randbelow(STATUS_LIST_SIZE)
        drawn.add((entry.status_list, entry.status_index))
        entry.token = sign(credential_payload(certificate=certificate, entry=entry))
        entries.append(entry)
    try:
        with transaction.atomic():
            CertificateCredential.objects.bulk_create(entries)
    except IntegrityError:
        for certificate in due:
            certificate_credential_issue(certificate=certificate)
