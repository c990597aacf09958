"""Writes for certificates: issue, reissue, revoke, render (exactly once) and bulk regeneration.

Exactly once rests on three facts the database holds: one certificate row per learner and course
(unique constraint, reached with get_or_create), a version number bumped under a row lock
whenever what is printed changes, and a render that holds the row lock
(select_for_update(skip_locked=True)) while it writes the file under a name fixed by
(certificate, version). A duplicate delivery finds the version rendered or the row locked; a
worker killed mid-render rolls its transaction back and its redelivered task starts again.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import outgoing_message_queue
from courses.credit_types import (
    CREDIT_UNIT_PLURAL,
    CREDIT_UNIT_SINGULAR,
    CreditType,
    ama_designation_statement,
)
from courses.dates import long_date, long_date_with_weekday
from courses.models import Course
from credits.certificates.models import (
    Certificate,
    CertificateRegeneration,
    CertificateRender,
    certificate_pdf_path,
)
from credits.certificates.openbadges.services import certificate_credential_issue
from credits.certificates.rendering import CertificateContent, render_pdf
from credits.certificates.selectors import certificate_regeneration_progress_get
from credits.ledger.models import CreditRecord

logger = logging.getLogger(__name__)

ACTIVITY_KIND = {
    Course.Format.LIVE: "live activity",
    Course.Format.ENDURING: "enduring material",
    Course.Format.HYBRID: "activity",
    Course.Format.RSS: "regularly scheduled series",
    Course.Format.DRILL: "enduring material (practice drill)",
}
CREDIT_ORDER = {value: index for index, value in enumerate(CreditType.values)}


# ---------------------------------------------------------------------------------------------
# Snapshots: what a certificate prints, copied from the course and the ledger.

def _activity_dates(course: Course) -> str:
    zone = timezone.get_default_timezone()
    days = sorted({timezone.localtime(session.starts_at, zone).date()
                   for session in course.sessions.all() if not session.is_cancelled})
    if course.format == Course.Format.ENDURING:
        return "Enduring material, completed online"
    if course.format == Course.Format.DRILL:
        return "Practice drill, completed online"
    if not days:
        return "Completed online"
    if len(days) == 1:
        return f"Held {long_date_with_weekday(days[0])}"
    first, last = days[0], days[-1]
    return f"Held {long_date(first)} to {long_date(last)}"


def _credit_snapshot(records) -> list[dict]:
    credits = []
    for record in sorted(records, key=lambda r: CREDIT_ORDER.get(r.credit_type, 99)):
        units = CREDIT_UNIT_SINGULAR if record.amount == 1 else CREDIT_UNIT_PLURAL
        credits.append({"credit_type": record.credit_type, "amount": f"{record.amount:.2f}",
                        "wording": units[CreditType(record.credit_type)]})
    return credits


def _credit_statement(course: Course, credits: list[dict]) -> str:
    """The AMA designation statement, required wherever AMA PRA Category 1 Credit is awarded."""
    awarded = [c for c in credits if c["credit_type"] == CreditType.AMA_PRA_1]
    if not awarded:
        return ""
    designation = next((d for d in course.credit_designations.all()
                        if d.credit_type == CreditType.AMA_PRA_1), None)
    maximum = designation.max_credits if designation else Decimal(awarded[0]["amount"])
    return ama_designation_statement(provider=settings.HOSPITAL_NAME,
                                     course_format=course.format, maximum=maximum)


def _snapshot(*, user, course: Course, records) -> dict:
    credits = _credit_snapshot(records)
    return {
        "learner_name": user.display_name,
        "activity_title": course.title,
        "activity_dates": _activity_dates(course),
        "completion_date": max(record.completed_on for record in records),
        "credits": credits,
        "credit_statement": _credit_statement(course, credits),
    }


def certificate_content(*, certificate: Certificate) -> CertificateContent:
    """The printed facts of a certificate, all from its stored snapshot."""
    return CertificateContent(
        hospital_name=settings.HOSPITAL_NAME,
        learner_name=certificate.learner_name,
        activity_kind=ACTIVITY_KIND.get(certificate.course.format, "activity"),
        activity_title=certificate.activity_title,
        activity_dates=certificate.activity_dates,
        credits=tuple((credit["amount"], credit["wording"]) for credit in certificate.credits),
        ama_statement=certificate.credit_statement,
        completion_date=long_date(certificate.completion_date),
        issue_date=long_date(certificate.issue_date),
        verification_code=certificate.code_display,
        verification_url=certificate.verification_url,
    )


# ---------------------------------------------------------------------------------------------
# Issue, reissue, revoke.

def _queue_render(certificate: Certificate) -> None:
    from credits.certificates.tasks import certificate_render

    certificate_render.delay_on_commit(certificate.pk)


def certificate_sync(*, user_id: int, course_id: int) -> Certificate | None:
    """Bring a learner's certificate for a course in line with their active credit records.

    No certificate yet: issue one. Credits (or name, title, dates) changed: a new version with
    the same verification code. All credits voided: revoke. Nothing changed: nothing happens,
    so a repeated signal is harmless.
    """
    with transaction.atomic():
        records = list(CreditRecord.objects.select_related("user", "course")
                       .filter(user_id=user_id, course_id=course_id,
                               status=CreditRecord.Status.ACTIVE))
        if not records:
            certificate = (Certificate.objects.select_for_update()
                           .filter(user_id=user_id, course_id=course_id).first())
            if certificate and certificate.status != Certificate.Status.REVOKED:
                certificate.status = Certificate.Status.REVOKED
                certificate.revoked_at = timezone.now()
                certificate.save(update_fields=["status", "revoked_at", "updated_at"])
            return certificate
        user, course = records[0].user, records[0].course
        course = (Course.objects.prefetch_related("sessions", "credit_designations")
                  .get(pk=course.pk))
        snapshot = _snapshot(user=user, course=course, records=records)
        certificate, created = Certificate.objects.get_or_create(
            user_id=user_id, course_id=course_id,
            defaults={**snapshot, "issue_date": timezone.localdate()})
        if created:
            _queue_render(certificate)
            return certificate
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        changed = {field: value for field, value in snapshot.items()
                   if getattr(certificate, field) != value}
        if changed or certificate.status == Certificate.Status.REVOKED:
            for field, value in changed.items():
                setattr(certificate, field, value)
            certificate.version += 1
            certificate.issue_date = timezone.localdate()
            certificate.status = Certificate.Status.PENDING
            certificate.revoked_at = None
            certificate.save()
            _queue_render(certificate)
        elif certificate.status == Certificate.Status.FAILED:
            _queue_render(certificate)
        return certificate


def certificate_rerender(*, certificate: Certificate) -> None:
    """Queue another render of the current version (the admin action for failed renders)."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status in (Certificate.Status.FAILED, Certificate.Status.PENDING):
            _queue_render(locked)


# ---------------------------------------------------------------------------------------------
# Render: the task body.

def certificate_render_now(*, certificate_id: int, worker: str = "") -> str:
    """Render the certificate's current version if nobody has; returns what happened.

    Runs inside one transaction holding the row lock, so a second worker skips the row and a
    crash leaves the row as it was for the redelivered task.
    """
    with transaction.atomic():
        certificate = (Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                       .select_related("user", "course").filter(pk=certificate_id).first())
        if certificate is None:
            exists = Certificate.objects.filter(pk=certificate_id).exists()
            return "locked" if exists else "missing"
        if certificate.status == Certificate.Status.REVOKED:
            return "revoked"
        if certificate.is_current:
            return "already-rendered"
        pdf = render_pdf(certificate_content(certificate=certificate))
        previous_name = certificate.pdf.name
        name = certificate_pdf_path(certificate, "")
        storage = certificate.pdf.storage
        if storage.exists(name):  # left by a render whose transaction was rolled back
            storage.delete(name)
        certificate.pdf.name = storage.save(name, ContentFile(pdf))
        now = timezone.now()
        certificate.status = Certificate.Status.READY
        certificate.rendered_version = certificate.version
        certificate.rendered_at = now
        certificate.attempts += 1
        certificate.last_error = ""
        certificate.save(update_fields=["pdf", "status", "rendered_version", "rendered_at",
                                        "attempts", "last_error", "updated_at"])
        if previous_name and previous_name != certificate.pdf.name:
            transaction.on_commit(lambda: storage.delete(previous_name))
        certificate_regenerations_close(course_id=certificate.course_id)
        certificate_credential_issue(certificate=certificate)
        outgoing_message_queue(
            recipient=certificate.user, kind="certificate_ready",
            object_key=f"certificate:{certificate.pk}", occurrence=f"v{certificate.version}",
            context={
                "activity_title": certificate.activity_title,
                "version": certificate.version,
                "download_url": settings.SITE_URL + reverse(
                    "certificates:download", kwargs={"pk": certificate.pk}),
                "verification_url": certificate.verification_url,
                "verification_code": certificate.code_display,
            })
        return "rendered"


def certificate_render_failed(*, certificate_id: int, error: str, worker: str = "",
                              final: bool) -> None:
    """Record a failed attempt where administrators see it (the render rolled back)."""
    with transaction.atomic():
        certificate = (Certificate.objects.select_for_update()
                       .filter(pk=certificate_id).first())
        if certificate is None or certificate.is_current:
            return
        certificate.attempts += 1
        certificate.last_error = error[:4000]
        if certificate.status != Certificate.Status.REVOKED:
            certificate.status = Certificate.Status.FAILED if final else Certificate.Status.PENDING
        certificate.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        CertificateRender.objects.create(certificate=certificate, version=certificate.version,
                                         worker=worker[:200], error=error[:4000])
        if final:
            certificate_regenerations_close(course_id=certificate.course_id)


# ---------------------------------------------------------------------------------------------
# Bulk regeneration.

def certificate_regeneration_start(*, course: Course, requested_by) -> CertificateRegeneration:
    """Refresh every live certificate of a course from the course and render each again."""
    with transaction.atomic():
        running = (CertificateRegeneration.objects.select_for_update()
                   .filter(course=course, status=CertificateRegeneration.Status.RUNNING).first())
        if running:
            return running
        course = (Course.objects.prefetch_related("sessions", "credit_designations")
                  .get(pk=course.pk))
        activity_dates = _activity_dates(course)
        certificates = list(Certificate.objects.select_for_update()
                            .filter(course=course).exclude(status=Certificate.Status.REVOKED)
                            .order_by("pk"))
        for certificate in certificates:
            certificate.activity_title = course.title
            certificate.activity_dates = activity_dates
            certificate.credit_statement = _credit_statement(course, certificate.credits)
            certificate.version += 1
            certificate.status = Certificate.Status.PENDING
        Certificate.objects.bulk_update(
            certificates, ["activity_title", "activity_dates", "credit_statement", "version",
                           "status"])
        run = CertificateRegeneration.objects.create(
            course=course, requested_by=requested_by, total=len(certificates),
            certificate_versions={str(c.pk): c.version for c in certificates},
            status=(CertificateRegeneration.Status.RUNNING if certificates
                    else CertificateRegeneration.Status.DONE),
            finished_at=None if certificates else timezone.now())
        for certificate in certificates:
            _queue_render(certificate)
        return run


def certificate_regenerations_close(*, course_id: int) -> None:
    """Store the counts of the course's running regeneration and close it when every
    certificate is done or failed. Called by the worker after each render, so the progress
    page only reads."""
    for run in CertificateRegeneration.objects.filter(
            course_id=course_id, status=CertificateRegeneration.Status.RUNNING):
        run = certificate_regeneration_progress_get(run=run)
        fields = ["done", "failed"]
        if run.status == CertificateRegeneration.Status.DONE:
            fields += ["status", "finished_at"]
        CertificateRegeneration.objects.filter(pk=run.pk).update(
            **{name: getattr(run, name) for name in fields})
