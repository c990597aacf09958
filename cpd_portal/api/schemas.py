"""Response shapes of the JSON API (pydantic models through django-ninja's Schema)."""
import datetime
import re
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator


class Error(Schema):
    message: str
    errors: list[dict] = []


class Licence(Schema):
    state: str
    profession: str
    number: str
    expires_on: datetime.date


class Profile(Schema):
    id: int
    email: str
    full_name: str
    degree: str
    profession: str
    specialty: str
    npi: str
    board_id: str
    certifying_board: str
    nabp_eprofile_id: str
    time_zone: str
    licences: list[Licence]


class CreditLine(Schema):
    credit_type: str
    credit_type_label: str
    amount: Decimal
    display: str


class TranscriptRecord(Schema):
    id: int
    activity_title: str
    course_slug: str | None
    external_provider: str | None
    completed_on: datetime.date
    credit_type: str
    amount: Decimal
    display: str
    source: str
    status: str
    void_reason: str


class Transcript(Schema):
    start: datetime.date | None
    end: datetime.date | None
    credit_type: str | None
    include_voided: bool
    totals: list[CreditLine]
    records: list[TranscriptRecord]


class Certificate(Schema):
    id: int
    code: str
    status: str
    activity_title: str
    activity_dates: str
    course_slug: str
    completion_date: datetime.date
    issue_date: datetime.date
    credits: list[dict]
    verification_url: str
    pdf_url: str | None


class Requirement(Schema):
    label: str
    topic: str | None
    earned: Decimal
    required: Decimal
    shortfall: Decimal
    due_on: datetime.date
    is_met: bool
    status: str


class LicenceProgress(Schema):
    licence: Licence
    requirement_set: str
    cycle_starts_on: datetime.date
    cycle_ends_on: datetime.date
    is_met: bool
    requirements: list[Requirement]


class Designation(Schema):
    credit_type: str
    credit_type_label: str
    max_credits: Decimal


class CatalogCourse(Schema):
    id: int
    slug: str
    title: str
    format: str
    next_starts_at: datetime.datetime | None
    seats_left: int | None
    url: str
    credits: list[Designation]


class CatalogPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CatalogCourse]


class Learner(Schema):
    id: int
    email: str
    full_name: str
    npi: str


class CreditRecordChange(Schema):
    change_id: int
    changed_at: datetime.datetime
    action: str
    record_id: int
    learner: Learner
    activity_title: str
    course_id: int | None
    credit_type: str
    amount: Decimal
    completed_on: datetime.date
    status: str


class CreditRecordFeed(Schema):
    results: list[CreditRecordChange]
    next_cursor: str
    has_more: bool


class Completion(Schema):
    kind: str
    changed_at: datetime.datetime
    learner: Learner
    course_id: int
    activity_title: str
    session_id: int | None
    session_starts_at: datetime.datetime | None
    status: str
    minutes_attended: int | None
    completed_on: datetime.date | None


class CompletionFeed(Schema):
    results: list[Completion]
    next_cursor: str
    has_more: bool


class Enrolment(Schema):
    learner: Learner
    status: str
    enrolled_at: datetime.datetime


class AttendanceEntry(Schema):
    learner: Learner
    session_id: int
    session_starts_at: datetime.datetime
    status: str
    minutes_attended: int | None
    source: str


class CourseParticipation(Schema):
    course_id: int
    slug: str
    title: str
    enrolments: list[Enrolment]
    attendance: list[AttendanceEntry]


def _iso_only(kind):
    """Query dates and times as ISO 8601 text only: pydantic would also read a bare number as
    seconds since 1970, which no client means."""
    def check(value):
        if isinstance(value, str) and not ISO_TEXT[kind].match(value):
            raise ValueError(f"give an ISO 8601 {kind}, for example "
                             f"{'2026-03-14' if kind == 'date' else '2026-03-14T02:00:00Z'}")
        return value
    return BeforeValidator(check)


ISO_TEXT = {"date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
            "date and time": re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")}
IsoDate = Annotated[datetime.date, _iso_only("date")]
IsoDateTime = Annotated[datetime.datetime, _iso_only("date and time")]
