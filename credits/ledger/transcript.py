"""A learner's transcript: their credit records with filters and totals per credit type, and
each activity's certificate (download link and verification code).

Four queries whatever the number of records (rows, their courses' designations for the AMA
statement, totals, certificates); the ledger's (user, status, completed_on) index serves the
rows and totals. Higher layers add a line under a record (for example "Reported to CPE Monitor
on ...") through `transcript_record_notes_register`, each in a fixed number of queries.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet, Sum

from accounts.models import User
from courses.credit_types import (
    CreditType,
    ama_designation_statement,
    credit_amount_display,
    credit_type_name,
)
from courses.credittypes.selectors import CATALOG_MODELS, credit_type_catalog, credit_type_info
from courses.models import Course, CreditDesignation
from cpd_portal.caching.parts import CachedPart
from credits.ledger.models import CreditRecord, ExternalActivity

# The transcript page's content, cached per viewer and filter; the packages that add
# certificates and notes to it add the models those read as they register.
TRANSCRIPT = CachedPart("transcript", CreditRecord, ExternalActivity, Course, CreditDesignation,
                        *CATALOG_MODELS)


@dataclass
class TranscriptFilters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    credit_type: str = ""
    include_voided: bool = False

    @property
    def credit_type_label(self) -> str:
        return credit_type_name(self.credit_type) if self.credit_type else ""


@dataclass
class TranscriptTotal:
    credit_type: str
    amount: Decimal

    @property
    def display(self) -> str:
        return credit_amount_display(self.amount, self.credit_type)


@dataclass
class Transcript:
    user: User
    filters: TranscriptFilters
    records: list[CreditRecord] = field(default_factory=list)
    totals: list[TranscriptTotal] = field(default_factory=list)


# Certificates sit above the ledger: credits.certificates registers its lookup here from
# CreditsConfig.ready, `lookup(user=, course_ids=)` -> {course id: ready certificate}.
CertificateLookup = Callable[..., dict]
_certificate_lookups: list[CertificateLookup] = []


def transcript_certificate_lookup_register(lookup: CertificateLookup, *,
                                           depends_on: tuple = ()) -> None:
    """`depends_on`: the models the lookup reads, which the page's cache then follows."""
    if lookup not in _certificate_lookups:
        _certificate_lookups.append(lookup)
    TRANSCRIPT.depends_on_add(*depends_on)


def _attach_certificates(user: User, records: list[CreditRecord]) -> None:
    """Give each row `certificate` (or None): one query for the whole transcript."""
    course_ids = {record.course_id for record in records if record.course_id}
    certificates: dict = {}
    if course_ids:
        for lookup in _certificate_lookups:
            certificates.update(lookup(user=user, course_ids=course_ids))
    for record in records:
        record.certificate = (certificates.get(record.course_id)
                              if record.status == CreditRecord.Status.ACTIVE else None)


def _filtered(user: User, filters: TranscriptFilters) -> QuerySet:
    records = CreditRecord.objects.filter(user=user)
    if filters.start:
        records = records.filter(completed_on__gte=filters.start)
    if filters.end:
        records = records.filter(completed_on__lte=filters.end)
    if filters.credit_type:
        records = records.filter(credit_type=filters.credit_type)
    return records


def transcript_for(*, user: User, filters: TranscriptFilters | None = None) -> Transcript:
    filters = filters or TranscriptFilters()
    records = (_filtered(user, filters).select_related("course", "external_activity")
               .prefetch_related("course__credit_designations"))
    if not filters.include_voided:
        records = records.filter(status=CreditRecord.Status.ACTIVE)
    totals = (_filtered(user, filters).filter(status=CreditRecord.Status.ACTIVE)
              .values("credit_type").annotate(amount=Sum("amount")).order_by("credit_type"))
    order = {code: index for index, code in enumerate(credit_type_catalog())}
    rows = list(records.order_by("-completed_on", "-pk"))
    for record in rows:
        record.activity_title = transcript_activity_title(record=record)
        record.designation_statement = _designation_statement(record)
    _attach_certificates(user, rows)
    return Transcript(
        user=user, filters=filters, records=rows,
        totals=sorted((TranscriptTotal(t["credit_type"], t["amount"]) for t in totals),
                      key=lambda t: order.get(t.credit_type, len(order))))


# Functions taking the transcript's records and returning {record id: note}; a note has
# `text`, `tone` ("done", "todo" or "error") and optionally `link_url` and `link_text`.
_RECORD_NOTE_PROVIDERS: list = []


def transcript_record_notes_register(provider, *, depends_on: tuple = ()) -> None:
    """Called from an AppConfig.ready (credits.boards adds its reporting status); `depends_on`:
    the models the provider reads, which the page's cache then follows."""
    if provider not in _RECORD_NOTE_PROVIDERS:
        _RECORD_NOTE_PROVIDERS.append(provider)
    TRANSCRIPT.depends_on_add(*depends_on)


def transcript_notes_attach(*, transcript: Transcript) -> None:
    """Set `record.notes` (a list) on each record; each provider reads in fixed queries."""
    for record in transcript.records:
        record.notes = []
    for provider in _RECORD_NOTE_PROVIDERS:
        for record_id, note in provider(transcript.records).items():
            for record in transcript.records:
                if record.pk == record_id:
                    record.notes.append(note)


def _designation_statement(record: CreditRecord) -> str:
    """The designation statement of a claimed record of a course, as the office words its
    type (the AMA's for AMA PRA Category 1 Credit); empty for a type without one."""
    if not record.course_id or record.status != CreditRecord.Status.ACTIVE:
        return ""
    designation = next((d for d in record.course.credit_designations.all()
                        if d.credit_type == record.credit_type), None)
    maximum = designation.max_credits if designation else record.amount
    if record.credit_type == CreditType.AMA_PRA_1:
        return ama_designation_statement(provider=settings.HOSPITAL_NAME,
                                         course_format=record.course.format, maximum=maximum)
    info = credit_type_info(record.credit_type)
    if not info.statement:
        return ""
    return info.statement_for(provider=settings.HOSPITAL_NAME,
                              course_format=record.course.format, maximum=maximum)


def transcript_activity_title(*, record: CreditRecord) -> str:
    if record.course_id:
        return record.course.title
    return f"{record.external_activity.title} ({record.external_activity.provider})"
