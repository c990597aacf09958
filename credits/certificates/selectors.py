"""Reads for certificates: a learner's own list, downloads, verification, regeneration runs."""
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from credits.certificates.models import Certificate, CertificateRegeneration


def certificate_list_for_learner(*, user) -> QuerySet[Certificate]:
    """The learner's certificates, newest first (My learning and the transcript)."""
    return (Certificate.objects.filter(user=user).select_related("course")
            .order_by("-issue_date", "-pk"))


def certificate_by_course_for_learner(*, user, course_ids=None) -> dict[int, Certificate]:
    """course id -> the learner's ready certificate, for a transcript row's download link and
    verification code (registered with credits.ledger.transcript; one query)."""
    certificates = Certificate.objects.filter(user=user, status=Certificate.Status.READY)
    if course_ids is not None:
        certificates = certificates.filter(course_id__in=course_ids)
    return {certificate.course_id: certificate for certificate in certificates}


def certificate_for_download(*, user, pk: int) -> Certificate:
    """The owner's ready certificate, or any rendered one for administrators; otherwise 404."""
    certificate = Certificate.objects.select_related("user").filter(pk=pk).first()
    if certificate is None or not certificate.pdf:
        raise Http404("No such certificate.")
    return certificate_of_owner_or_administrator(certificate=certificate, user=user)


def certificate_of_owner_or_administrator(*, certificate: Certificate, user) -> Certificate:
    """The certificate if it is the user's own and ready, or the user is an administrator."""
    if user.is_administrator:
        return certificate
    if certificate.user_id != user.pk or certificate.status != Certificate.Status.READY:
        raise Http404("No such certificate.")
    return certificate


def certificate_with_revocation(*, pk: int) -> Certificate:
    """Any certificate with its revocation if there is one, for the office's revoke page."""
    certificate = (Certificate.objects.select_related("revocation__revoked_by")
                   .filter(pk=pk).first())
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


def certificate_for_verification(*, code: str) -> Certificate | None:
    # The course's format names the dates line (an online activity has no dates).
    return Certificate.objects.filter(verification_code=code).exclude(
        status=Certificate.Status.PENDING, rendered_version=0).select_related("course").first()


def certificate_regeneration_latest(*, course_id: int) -> CertificateRegeneration | None:
    return (CertificateRegeneration.objects.filter(course_id=course_id)
            .select_related("requested_by").order_by("-requested_at", "-pk").first())


def certificate_regeneration_progress_get(
        *, run: CertificateRegeneration) -> CertificateRegeneration:
    """The run with `done` and `failed` counted from the certificates themselves, and shown as
    done when all are; nothing is written (the worker stores it: certificate_regenerations_close).
    """
    if run.status == CertificateRegeneration.Status.DONE:
        return run
    by_version: dict[int, list[int]] = defaultdict(list)
    for certificate_id, version in run.certificate_versions.items():
        by_version[version].append(int(certificate_id))
    done_filter, failed_filter = Q(pk__in=[]), Q(pk__in=[])
    for version, ids in by_version.items():
        done_filter |= Q(pk__in=ids, rendered_version__gte=version)
        failed_filter |= Q(pk__in=ids, rendered_version__lt=version,
                           status=Certificate.Status.FAILED)
    all_ids = [int(i) for i in run.certificate_versions]
    counts = Certificate.objects.filter(pk__in=all_ids).values("pk").aggregate(
        done=Count("pk", filter=done_filter | Q(pk__in=all_ids,
                                                status=Certificate.Status.REVOKED)),
        failed=Count("pk", filter=failed_filter))
    run.done, run.failed = counts["done"], counts["failed"]
    if run.done + run.failed >= run.total:
        run.status = CertificateRegeneration.Status.DONE
        run.finished_at = run.finished_at or timezone.now()
    return run
