"""A learner's transcript: their credit records with filters and totals per credit type.

Two queries whatever the number of records (rows, totals); the ledger's
(user, status, completed_on) index serves both. Higher layers add a line under a record (for
example "Reported to CPE Monitor on ...") through `transcript_record_notes_register`.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from accounts.models import User
from courses.credit_types import CreditType, credit_amount_display
from credits.ledger.models import CreditRecord


@dataclass
class TranscriptFilters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    credit_type: str = ""
    include_voided: bool = False

    @property
    def credit_type_label(self) -> str:
        return CreditType(self.credit_type).label if self.credit_type else ""


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
    records = _filtered(user, filters).select_related("course", "external_activity")
    if not filters.include_voided:
        records = records.filter(status=CreditRecord.Status.ACTIVE)
    totals = (_filtered(user, filters).filter(status=CreditRecord.Status.ACTIVE)
              .values("credit_type").annotate(amount=Sum("amount")).order_by("credit_type"))
    order = {value: index for index, value in enumerate(CreditType.values)}
    rows = list(records.order_by("-completed_on", "-pk"))
    for record in rows:
        record.activity_title = transcript_activity_title(record=record)
    return Transcript(
        user=user, filters=filters, records=rows,
        totals=sorted((TranscriptTotal(t["credit_type"], t["amount"]) for t in totals),
                      key=lambda t: order.get(t.credit_type, len(order))))


# Functions taking the transcript's records and returning {record id: note}; a note has
# `text`, `tone` ("done", "todo" or "error") and optionally `link_url` and `link_text`.
_RECORD_NOTE_PROVIDERS: list = []


def transcript_record_notes_register(provider) -> None:
    """Called from an AppConfig.ready (credits.boards adds its reporting status)."""
    if provider not in _RECORD_NOTE_PROVIDERS:
        _RECORD_NOTE_PROVIDERS.append(provider)


def transcript_notes_attach(*, transcript: Transcript) -> None:
    """Set `record.notes` (a list) on each record; each provider reads in fixed queries."""
    for record in transcript.records:
        record.notes = []
    for provider in _RECORD_NOTE_PROVIDERS:
        for record_id, note in provider(transcript.records).items():
            for record in transcript.records:
                if record.pk == record_id:
                    record.notes.append(note)


def transcript_activity_title(*, record: CreditRecord) -> str:
    if record.course_id:
        return record.course.title
    return f"{record.external_activity.title} ({record.external_activity.provider})"
