"""Reads for Open Badges credentials: the owner's download, the public one by verification
code, a credential by its id, and which status list entries are set."""
from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.http import Http404

from credits.certificates.models import Certificate, CertificateCredential
from credits.certificates.selectors import certificate_of_owner_or_administrator

_FOR_CREDENTIAL = ("user", "course")


def certificate_for_credential(*, user, pk: int) -> Certificate:
    """The owner's ready certificate, or any not revoked for administrators; otherwise 404."""
    certificate = Certificate.objects.select_related(*_FOR_CREDENTIAL).filter(pk=pk).first()
    if certificate is None or certificate.rendered_version == 0:
        raise Http404("No such certificate.")
    if certificate.status == Certificate.Status.REVOKED:
        raise Http404("No such certificate.")
    return certificate_of_owner_or_administrator(certificate=certificate, user=user)


def certificate_for_public_credential(*, code: str) -> Certificate | None:
    """A certificate the verification page shows with a credential: rendered, not revoked."""
    return (Certificate.objects.select_related(*_FOR_CREDENTIAL)
            .filter(verification_code=code, rendered_version__gt=0)
            .exclude(status=Certificate.Status.REVOKED).first())


def certificate_credential_by_uuid(*, uuid) -> CertificateCredential | None:
    return (CertificateCredential.objects.select_related("certificate")
            .filter(uuid=uuid).first())


def _set_filter() -> Q:
    # Revoked, or replaced by a newer version of the certificate.
    return (Q(certificate__status=Certificate.Status.REVOKED)
            | Q(version__lt=F("certificate__version")))


def status_list_exists(*, number: int) -> bool:
    return CertificateCredential.objects.filter(status_list=number).exists()


def status_list_set_indexes(*, number: int) -> list[int]:
    """The entries of one status list whose bit is set, in one query."""
    return list(CertificateCredential.objects.filter(_set_filter(), status_list=number)
                .values_list("status_index", flat=True))


def certificate_credential_state(*, entry_id: int) -> CertificateCredential:
    """The credential with `is_set` (its status bit) and its certificate, for the verifier."""
    return (CertificateCredential.objects.select_related("certificate")
            .annotate(is_set=ExpressionWrapper(_set_filter(), output_field=BooleanField()))
            .get(pk=entry_id))
