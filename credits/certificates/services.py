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
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OutgoingMessage
from accounts.services import outgoing_message_batch_queue
from courses.credit_types import CreditType, ama_designation_statement
from courses.credittypes.selectors import credit_type_catalog
from courses.dates import long_date, long_date_with_weekday
from courses.models import Course
from credits.certificates import tasks
from credits.certificates.models import (
    Certificate,
    CertificateRegeneration,
    CertificateRender,
    CertificateRevocation,
    certificate_pdf_path,
)
from credits.certificates.openbadges.services import (
    certificate_credential_batch_issue,
    issued_so_far_subquery,
)
from credits.certificates.rendering import CertificateContent, render_pdf
from credits.certificates.selectors import certificate_regeneration_progress_get
from credits.ledger.models import CreditRecord

logger = logging.getLogger(__name__)

ACTIVITY_KIND = {
    Course.Format.LIVE: gettext_lazy("live activity"),
    Course.Format.ENDURING: gettext_lazy("enduring material"),
    Course.Format.HYBRID: gettext_lazy("activity"),
    Course.Format.RSS: gettext_lazy("regularly scheduled series"),
    Course.Format.DRILL: gettext_lazy("enduring material (practice drill)"),
}
# What a render reads of the learner and the course besides the certificate's own snapshot
# (the credential's recipient hash and achievement, the kind of activity printed): the rest of
# their rows, the course's search vector and long texts among them, is not fetched.
_CERTIFICATE_FIELDS = tuple(field.name for field in Certificate._meta.concrete_fields)
_RENDER_READS = ("user__email", "user__language", "course__slug", "course__title",
                 "course__summary", "course__format")
# Certificates rendered per task and transaction by a bulk regeneration: large enough to share
# the lock, the counts and the commit, small enough that a claim waits at most ~0.2 s on a lock.
RENDER_BATCH_SIZE = 25


# ---------------------------------------------------------------------------------------------
# Snapshots: what a certificate prints, copied from the course and the ledger.

def _activity_dates(course: Course) -> str:
    zone = timezone.get_default_timezone()
    days = sorted({timezone.localtime(session.starts_at, zone).date()
                   for session in course.sessions.all() if not session.is_cancelled})
    if course.format == Course.Format.ENDURING:
        return _("Enduring material, completed online")
    if course.format == Course.Format.DRILL:
        return _("Practice drill, completed online")
    if not days:
        return _("Completed online")
    if len(days) == 1:
        return _("Held %(day)s") % {"day": long_date_with_weekday(days[0])}
    first, last = days[0], days[-1]
    return _("Held %(first)s to %(last)s") % {"first": long_date(first), "last": long_date(last)}


def certificate_language(user) -> str:
    """The language a learner's certificate is worded in: their profile's, else the portal's
    (a certificate is made by a worker, with no browser to ask)."""
    return user.language or settings.LANGUAGE_CODE


def _credit_snapshot(records, course: Course) -> list[dict]:
    catalog = credit_type_catalog()
    credits = []
    for record in sorted(records, key=lambda r: (catalog[r.credit_type].position,
                                                 r.credit_type)):
        credits.append({"credit_type": record.credit_type, "amount": f"{record.amount:.2f}",
                        "wording": catalog[record.credit_type].units(record.amount)})
    return _with_maxima(credits, course)


def _with_maxima(credits: list[dict], course: Course) -> list[dict]:
    """The credits with the most the course designates of each type ("maximum"), which the
    Open Badges credential states beside each amount: the credential is signed from the
    snapshot alone, like the PDF, so it needs no read of the designations."""
    maxima = {d.credit_type: f"{d.max_credits:.2f}" for d in course.credit_designations.all()}
    return [{key: value for key, value in credit.items() if key != "maximum"}
            | ({"maximum": maxima[credit["credit_type"]]}
               if credit["credit_type"] in maxima else {})
            for credit in credits]


def _credit_statement(course: Course, credits: list[dict]) -> str:
    """The designation statement of each type awarded, as the office words it (the AMA's is
    required wherever AMA PRA Category 1 Credit is awarded), one paragraph each."""
    catalog = credit_type_catalog()
    designated = {d.credit_type: d.max_credits for d in course.credit_designations.all()}
    statements = []
    for credit in credits:
        code = credit["credit_type"]
        if not catalog[code].statement:
            continue
        maximum = designated.get(code, Decimal(credit["amount"]))
        if code == CreditType.AMA_PRA_1:
            statements.append(ama_designation_statement(
                provider=settings.HOSPITAL_NAME, course_format=course.format, maximum=maximum))
        else:
            statements.append(catalog[code].statement_for(
                provider=settings.HOSPITAL_NAME, course_format=course.format, maximum=maximum))
    return "\n\n".join(statements)


def _snapshot(*, user, course: Course, records) -> dict:
    credits = _credit_snapshot(records, course)
    with translation.override(certificate_language(user)):
        activity_dates = _activity_dates(course)
    return {
        "learner_name": user.display_name,
        "activity_title": course.title,
        "activity_dates": activity_dates,
        "completion_date": max(record.completed_on for record in records),
        "credits": credits,
        "credit_statement": _credit_statement(course, credits),
    }


def certificate_content(*, certificate: Certificate) -> CertificateContent:
    """The printed facts of a certificate, all from its stored snapshot, worded in the
    learner's language (the accreditors' statement and credit names stay English)."""
    language = certificate_language(certificate.user)
    with translation.override(language):
        return _certificate_content(certificate, language)


def _certificate_content(certificate: Certificate, language: str) -> CertificateContent:
    return CertificateContent(
        language=language,
        hospital_name=settings.HOSPITAL_NAME,
        learner_name=certificate.learner_name,
        activity_kind=str(ACTIVITY_KIND.get(certificate.course.format, _("activity"))),
        activity_title=certificate.activity_title,
        activity_dates=certificate.activity_dates,
        credits=tuple((credit["amount"], credit["wording"]) for credit in certificate.credits),
        ama_statement=certificate.credit_statement,
        completion_date=long_date(certificate.completion_date),
        issue_date=long_date(certificate.issue_date),
        verification_code=certificate.code_display,
        verification_url=certificate.verification_url,
        signatory=_("Director, Continuing Professional Development"),
    )


# ---------------------------------------------------------------------------------------------
# Issue, reissue, revoke.

def _queue_render(certificate: Certificate) -> None:
    tasks.certificate_render.delay_on_commit(certificate.pk)


def certificate_sync(*, user_id: int, course_id: int) -> Certificate | None:
    """Bring a learner's certificate for a course in line with their active credit records.

    No certificate yet: issue one. Credits (or name, title, dates) changed: a new version with
    the same verification code. All credits voided: revoke. Nothing changed: nothing happens,
    so a repeated signal is harmless. A certificate the office revoked stays revoked.
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
        if (certificate.status == Certificate.Status.REVOKED
                and CertificateRevocation.objects.filter(certificate=certificate).exists()):
            return certificate
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

def certificate_batch_render_now(*, certificate_ids: list[int]) -> dict[int, str]:
    """Render each certificate's current version if nobody has; returns what happened to each.

    One transaction holds the row locks of the whole batch, so a second worker skips those rows
    and a crash leaves every row as it was for the redelivered task. What a batch shares (the
    lock, the regeneration counts, the credentials' reads, the ready emails' insert, the
    commit) is done once for all its certificates; an error rolls the whole batch back.
    """
    outcomes: dict[int, str] = {}
    _render_started(certificate_ids)
    with transaction.atomic():
        certificates = list(Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                            .select_related("user", "course").filter(pk__in=certificate_ids)
                            .only(*_CERTIFICATE_FIELDS, *_RENDER_READS)
                            .annotate(credentials_issued=issued_so_far_subquery())
                            .order_by("pk"))
        absent = set(certificate_ids) - {certificate.pk for certificate in certificates}
        if absent:
            locked = set(Certificate.objects.filter(pk__in=absent).values_list("pk", flat=True))
            outcomes.update({pk: "locked" if pk in locked else "missing" for pk in absent})
        due = []
        for certificate in certificates:
            if certificate.status == Certificate.Status.REVOKED:
                outcomes[certificate.pk] = "revoked"
            elif certificate.is_current:
                outcomes[certificate.pk] = "already-rendered"
            else:
                due.append(certificate)
        if not due:
            return outcomes
        now = timezone.now()
        for certificate in due:
            _pdf_store(certificate, render_pdf(certificate_content(certificate=certificate)))
            certificate.status = Certificate.Status.READY
            certificate.rendered_version = certificate.version
            certificate.rendered_at = certificate.updated_at = now
            certificate.attempts += 1
            certificate.last_error = ""
            outcomes[certificate.pk] = "rendered"
        # One UPDATE: only the file name differs from row to row (bulk_update would build a
        # CASE for every field).
        Certificate.objects.filter(pk__in=[certificate.pk for certificate in due]).update(
            pdf=Case(*[When(pk=certificate.pk, then=Value(certificate.pdf.name))
                       for certificate in due]),
            status=Certificate.Status.READY, rendered_version=F("version"), rendered_at=now,
            updated_at=now, attempts=F("attempts") + 1, last_error="", render_started_at=None)
        # A regeneration bumps the version of every certificate it takes, so a first version
        # belongs to none and needs no look at the running ones.
        for course_id in sorted({c.course_id for c in due if c.version > 1}):
            certificate_regenerations_close(course_id=course_id)
        certificate_credential_batch_issue(certificates=due,
                                      issued_so_far=due[0].credentials_issued)
        outgoing_message_batch_queue(messages=[_ready_email(certificate) for certificate in due])
    return outcomes


def _render_started(certificate_ids: list[int]) -> None:
    """Note that a worker begins these renders, in a transaction of its own so the note stays
    if the worker dies (its render rolls back); rows another worker is rendering are left."""
    free = (Certificate.objects.select_for_update(skip_locked=True)
            .filter(pk__in=certificate_ids, status=Certificate.Status.PENDING).values("pk"))
    with transaction.atomic():  # one UPDATE ... WHERE pk IN (SELECT ... SKIP LOCKED)
        Certificate.objects.filter(pk__in=free).update(render_started_at=timezone.now())


def certificate_renders_recover(*, now=None) -> int:
    """Queue again the pending certificates whose render was lost: begun by a worker that no
    longer holds the row (killed mid-render; its transaction rolled back) for
    CERTIFICATE_RENDER_LEASE_SECONDS, or never begun CERTIFICATE_RENDER_REQUEUE_MINUTES after it
    was queued. Rows being rendered are locked and skipped. Returns how many were queued."""
    now = now or timezone.now()
    lost = (Q(render_started_at__lt=now - timedelta(
                seconds=settings.CERTIFICATE_RENDER_LEASE_SECONDS))
            | Q(render_started_at__isnull=True, updated_at__lt=now - timedelta(
                minutes=settings.CERTIFICATE_RENDER_REQUEUE_MINUTES)))
    with transaction.atomic():
        ids = list(Certificate.objects.select_for_update(skip_locked=True)
                   .filter(lost, status=Certificate.Status.PENDING)
                   .order_by("pk").values_list("pk", flat=True))
        Certificate.objects.filter(pk__in=ids).update(render_started_at=None, updated_at=now)
        for start in range(0, len(ids), RENDER_BATCH_SIZE):
            tasks.certificate_batch_render.delay_on_commit(ids[start:start + RENDER_BATCH_SIZE])
    if ids:
        logger.warning("Queued %d certificate render(s) again that were lost with a worker",
                       len(ids))
    return len(ids)


def certificate_render_now(*, certificate_id: int) -> str:
    """Render one certificate's current version if nobody has (a batch of one)."""
    return certificate_batch_render_now(certificate_ids=[certificate_id])[certificate_id]


def _pdf_store(certificate: Certificate, pdf: bytes) -> None:
    previous_name = certificate.pdf.name
    name = certificate_pdf_path(certificate, "")
    storage = certificate.pdf.storage
    if storage.exists(name):  # left by a render whose transaction was rolled back
        storage.delete(name)
    certificate.pdf.name = storage.save(name, ContentFile(pdf))
    if previous_name and previous_name != certificate.pdf.name:
        transaction.on_commit(lambda: storage.delete(previous_name))


def _ready_email(certificate: Certificate) -> OutgoingMessage:
    return OutgoingMessage(
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
        certificate.render_started_at = None  # the task's own retry follows, not the recovery's
        if certificate.status != Certificate.Status.REVOKED:
            certificate.status = Certificate.Status.FAILED if final else Certificate.Status.PENDING
        certificate.save(update_fields=["attempts", "last_error", "status", "updated_at",
                                        "render_started_at"])
        CertificateRender.objects.create(certificate=certificate, version=certificate.version,
                                         worker=worker[:200], error=error[:4000])
        if final:
            certificate_regenerations_close(course_id=certificate.course_id)


# ---------------------------------------------------------------------------------------------
# Bulk regeneration.

def certificate_regeneration_start(*, course: Course, requested_by) -> CertificateRegeneration:
    """Refresh every live certificate of a course from the course and render each again, in
    batches of RENDER_BATCH_SIZE."""
    with transaction.atomic():
        running = (CertificateRegeneration.objects.select_for_update()
                   .filter(course=course, status=CertificateRegeneration.Status.RUNNING).first())
        if running:
            return running
        course = (Course.objects.prefetch_related("sessions", "credit_designations")
                  .get(pk=course.pk))
        certificates = list(Certificate.objects.select_for_update(of=("self",))
                            .select_related("user")
                            .filter(course=course).exclude(status=Certificate.Status.REVOKED)
                            .order_by("pk"))
        dates_by_language = {}
        for certificate in certificates:
            language = certificate_language(certificate.user)
            if language not in dates_by_language:
                with translation.override(language):
                    dates_by_language[language] = _activity_dates(course)
            certificate.activity_title = course.title
            certificate.activity_dates = dates_by_language[language]
            certificate.credits = _with_maxima(certificate.credits, course)
            certificate.credit_statement = _credit_statement(course, certificate.credits)
            certificate.version += 1
            certificate.status = Certificate.Status.PENDING
            # When it was queued, for the recovery tick (bulk_update sets no auto_now field).
            certificate.updated_at = timezone.now()
        Certificate.objects.bulk_update(
            certificates, ["activity_title", "activity_dates", "credits", "credit_statement",
                           "version", "status", "updated_at"])
        run = CertificateRegeneration.objects.create(
            course=course, requested_by=requested_by, total=len(certificates),
            certificate_versions={str(c.pk): c.version for c in certificates},
            status=(CertificateRegeneration.Status.RUNNING if certificates
                    else CertificateRegeneration.Status.DONE),
            finished_at=None if certificates else timezone.now())
        ids = [certificate.pk for certificate in certificates]
        for start in range(0, len(ids), RENDER_BATCH_SIZE):
            tasks.certificate_batch_render.delay_on_commit(ids[start:start + RENDER_BATCH_SIZE])
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
