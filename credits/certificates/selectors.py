"""Reads for certificates: a learner's own list, downloads, verification, regeneration runs."""
from django.db.models import QuerySet
from django.http import Http404

from credits.certificates.models import Certificate, CertificateRegeneration


def certificate_list_for_learner(*, user) -> QuerySet[Certificate]:
    """The learner's certificates, newest first (My learning and the transcript)."""
    return (Certificate.objects.filter(user=user).select_related("course")
            .order_by("-issue_date", "-pk"))


def certificate_by_course_for_learner(*, user) -> dict[int, Certificate]:
    """course id -> the learner's certificate, for a transcript row's download link."""
    return {certificate.course_id: certificate
            for certificate in Certificate.objects.filter(user=user)}


def certificate_for_download(*, user, pk: int) -> Certificate:
    """The owner's ready certificate, or any rendered one for administrators; otherwise 404."""
    certificate = Certificate.objects.select_related("user").filter(pk=pk).first()
    if certificate is None or not certificate.pdf:
        raise Http404("No such certificate.")
    if user.is_administrator:
        return certificate
    if certificate.user_id != user.pk or certificate.status != Certificate.Status.READY:
        raise Http404("No such certificate.")
    return certificate


def certificate_for_verification(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(verification_code=code).exclude(
        status=Certificate.Status.PENDING, rendered_version=0).first()


def certificate_regeneration_latest(*, course_id: int) -> CertificateRegeneration | None:
    return (CertificateRegeneration.objects.filter(course_id=course_id)
            .select_related("requested_by").order_by("-requested_at", "-pk").first())
