"""Writes for a completed pathway's certificate: issue it (facts stored, credential signed,
render queued) and render its PDF through the certificates package's template and renderer."""
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.services import outgoing_message_queue
from courses.dates import long_date
from credits.certificates.rendering import CertificateContent, render_pdf
from credits.certificates.services import certificate_language
from credits.pathways import tasks
from credits.pathways.credential import pathway_credential_sign
from credits.pathways.models import (
    PathwayCertificate,
    PathwayEnrolment,
    pathway_certificate_pdf_path,
)
from credits.pathways.selectors import DONE, PathwayProgress


def criteria_text(progress: PathwayProgress) -> str:
    """The rules the learner met, in words: what the credential's criteria say."""
    parts = []
    for group in progress.groups:
        titles = "; ".join(state.step.display_title for state in group.steps)
        if group.group.required_count is None:
            parts.append(f"Complete every step of “{group.group.title}” ({titles}).")
        else:
            parts.append(f"Complete {group.needed} of the {len(group.steps)} steps of "
                         f"“{group.group.title}” ({titles}).")
    return " ".join(parts)


def pathway_certificate_issue(*, progress: PathwayProgress) -> PathwayCertificate | None:
    """Issue the certificate of a just-completed enrolment, once."""
    enrolment: PathwayEnrolment = progress.enrolment
    steps = [{"title": state.step.display_title, "kind": state.step.get_kind_display(),
              "completed_on": state.completed_on.isoformat()}
             for group in progress.groups for state in group.steps if state.status == DONE]
    now = timezone.now()
    certificate = PathwayCertificate(
        enrolment=enrolment, learner_name=enrolment.user.display_name,
        pathway_title=enrolment.pathway.title, version_number=enrolment.version.number,
        criteria=criteria_text(progress), steps=steps, started_on=enrolment.started_on,
        completion_date=enrolment.completed_on, issue_date=timezone.localdate(now))
    certificate.credential = pathway_credential_sign(certificate, now)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:  # issued already (two completions recorded at once)
        return None
    tasks.pathway_certificate_render.delay_on_commit(certificate.pk)
    return certificate


def pathway_certificate_content(certificate: PathwayCertificate) -> CertificateContent:
    """Worded in the learner's language, as a course certificate is."""
    language = certificate_language(certificate.enrolment.user)
    with translation.override(language):
        return CertificateContent(
            language=language,
            hospital_name=settings.HOSPITAL_NAME, learner_name=certificate.learner_name,
            activity_kind=gettext("learning pathway"), activity_title=certificate.pathway_title,
            activity_dates=gettext("%(start)s to %(end)s") % {
                "start": long_date(certificate.started_on),
                "end": long_date(certificate.completion_date)},
            credits=(), ama_statement=certificate.criteria,
            completion_date=long_date(certificate.completion_date),
            issue_date=long_date(certificate.issue_date),
            verification_code=certificate.code_display,
            verification_url=certificate.verification_url)


def pathway_certificate_render_now(*, certificate_id: int) -> str:
    """Render the PDF once (a ready certificate is left alone), then email the learner."""
    with transaction.atomic():
        certificate = (PathwayCertificate.objects.select_for_update()
                       .select_related("enrolment__user").get(pk=certificate_id))
        if certificate.status == PathwayCertificate.Status.READY:
            return "already"
        pdf = render_pdf(pathway_certificate_content(certificate))
        name = pathway_certificate_pdf_path(certificate, "")
        storage = certificate.pdf.storage
        if storage.exists(name):  # left by a render whose transaction was rolled back
            storage.delete(name)
        certificate.pdf.name = storage.save(name, ContentFile(pdf))
        certificate.status = PathwayCertificate.Status.READY
        certificate.rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "status", "rendered_at"])
        outgoing_message_queue(
            recipient=certificate.enrolment.user, kind="certificate_ready",
            object_key=f"pathway-certificate:{certificate.pk}", occurrence="v1",
            context={"activity_title": certificate.pathway_title, "version": 1,
                     "download_url": settings.SITE_URL + reverse(
                         "pathways:certificate_download", kwargs={"pk": certificate.pk}),
                     "verification_url": certificate.verification_url,
                     "verification_code": certificate.code_display})
    return "rendered"
