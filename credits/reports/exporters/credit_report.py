"""Credit report: every credit record with its learner, activity and amount, filterable.

Built for a million rows: the row is computed by PostgreSQL (labels, text formats) and read
through a server-side cursor (`QuerySet.iterator`), so memory stays flat and Python only adds
the session dates and hands tuples to the CSV writer.
"""
import zoneinfo
from collections.abc import Callable
from contextlib import contextmanager
from typing import IO

from django import forms
from django.conf import settings
from django.db import connection, connections
from django.db.models import (
    Case,
    CharField,
    Func,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from accounts.choices import profession_choices
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course, Session
from cpd_portal.replica import read_alias
from credits.certificates.models import Certificate, code_display_expression
from credits.ledger.models import CreditRecord
from credits.reports.exporters import writers
from credits.reports.exporters.base import DateRangeForm, Exporter, ExportFormat
from credits.reports.formula import escape_formula_sql

CHUNK_SIZE = 5000
COPY_READ_SIZE = 256 * 1024  # bytes per read from COPY (positional: Django's debug cursor)

HEADER = ("Learner name", "Email", "Profession", "Degree", "NPI", "Board ID", "Activity",
          "Session dates", "Credit type", "Amount", "Completion date", "Certificate code")


class CreditReportForm(DateRangeForm):
    STATUS_CHOICES = [("active", "Active credit only"), ("voided", "Voided credit only"),
                      ("all", "Active and voided")]

    course = forms.ModelChoiceField(
        queryset=Course.objects.exclude(status=Course.Status.DRAFT).only("pk", "title"),
        required=False, empty_label="All activities", label="Activity")
    profession = forms.ChoiceField(choices=lambda: [("", "All professions"), *profession_choices()],
                                   required=False)
    credit_type = forms.ChoiceField(choices=lambda: [("", "All credit types"),
                                                     *credit_type_catalog().choices()],
                                    required=False)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial="active")


def certificate_codes_subquery() -> Subquery:
    """The verification code of the certificate for each row's learner and course, printed as
    on the certificate; revoked certificates are left out, so a voided completion shows none."""
    return Subquery(
        Certificate.objects.filter(user=OuterRef("user"), course=OuterRef("course"))
        .exclude(status=Certificate.Status.REVOKED)
        .annotate(code_printed=code_display_expression("verification_code"))
        .values("code_printed")[:1])


class AmountText(Func):
    """A credit amount as text with its two decimals ("1.00"), on every backend.

    PostgreSQL's numeric(5, 2) keeps its scale when cast to text; SQLite stores decimals as
    numbers and would print 1 and 1.5, so it formats them itself.
    """
    output_field = CharField()
    template = "CAST(%(expressions)s AS TEXT)"

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"printf(%s, {sql})", ["%.2f", *params]


def _label_case(field: str, choices) -> Case:
    return Case(*[When(**{field: value}, then=Value(str(label))) for value, label in choices],
                default=Value(""), output_field=CharField())


def session_dates_by_course() -> dict[int, str]:
    """course id -> '2026-03-02' or '2026-03-02 to 2026-03-04' (office zone, sessions not
    cancelled), in one GROUP BY query.

    Joined in Python rather than by a correlated subquery per credit record: at a million
    records the subquery tripled the cost of the whole SELECT. Ten thousand activities make a
    dictionary of about a megabyte.
    """
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    spans = {}
    for course_id, first, last in (Session.objects.filter(is_cancelled=False)
                                   .values("course_id")
                                   .annotate(first=Min("starts_at"), last=Max("ends_at"))
                                   .values_list("course_id", "first", "last")):
        first_day, last_day = first.astimezone(zone).date(), last.astimezone(zone).date()
        spans[course_id] = (first_day.isoformat() if first_day == last_day
                            else f"{first_day.isoformat()} to {last_day.isoformat()}")
    return spans


def credit_records_filtered(filters: dict) -> QuerySet:
    records = CreditRecord.objects.all()
    status = filters.get("status") or "active"
    if status != "all":
        records = records.filter(status=status)
    if filters.get("completed_from"):
        records = records.filter(completed_on__gte=filters["completed_from"])
    if filters.get("completed_to"):
        records = records.filter(completed_on__lte=filters["completed_to"])
    if filters.get("course"):
        records = records.filter(course=filters["course"])
    if filters.get("profession"):
        records = records.filter(user__profession=filters["profession"])
    if filters.get("credit_type"):
        records = records.filter(credit_type=filters["credit_type"])
    return records


def credit_report_rows_queryset(filters: dict) -> QuerySet:
    """The report as one SELECT of text columns: HEADER order without the session dates,
    followed by the course id they are looked up by."""
    return (
        credit_records_filtered(filters)
        .annotate(
            profession_label=_label_case("user__profession", profession_choices()),
            activity=Coalesce("course__title", "external_activity__title"),
            credit_type_label=_label_case("credit_type", credit_type_catalog().choices()),
            amount_text=AmountText("amount"),
            completed_text=Cast("completed_on", CharField()),
            certificate_code=Coalesce(certificate_codes_subquery(), Value("")),
        )
        .order_by("completed_on", "pk")
        .values_list("user__full_name", "user__email", "profession_label", "user__degree",
                     "user__npi", "user__board_id", "activity", "credit_type_label",
                     "amount_text", "completed_text", "certificate_code", "course_id")
    )


@contextmanager
def full_result_planning():
    """Plan the cursor's query for reading every row, not the first tenth.

    PostgreSQL plans cursors for a fast start (cursor_tuple_fraction 0.1), which picks nested
    loops over an index; an export reads everything, where hash joins and one sort win.
    """
    if connection.vendor != "postgresql":
        yield
        return
    reading = connections[read_alias()]  # where the cursor's query goes: maybe the replica
    with reading.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with reading.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


class _CountingWriter:
    """Counts lines as COPY writes them, for progress (one line per row)."""

    def __init__(self, out: IO[bytes], on_rows: Callable[[int], None] | None):
        self.out, self.on_rows, self.rows = out, on_rows, 0

    def write(self, data) -> None:
        data = data.encode() if isinstance(data, str) else data
        self.out.write(data)
        self.rows += data.count(b"\n")
        if self.on_rows is not None:
            self.on_rows(self.rows)


ROW_ALIASES = ("user__full_name", "user__email", "profession_label", "user__degree",
               "user__npi", "user__board_id", "activity", "credit_type_label", "amount_text",
               "completed_text", "certificate_code")


def credit_report_copy_select(filters: dict) -> str:
    """The credit report's rows as one SELECT statement (parameters bound), for COPY: the same
    rows as the cursor path, with session dates joined and formula escaping applied in SQL."""
    inner = (credit_report_rows_queryset(filters).order_by()
             .values_list(*ROW_ALIASES, "course_id", "completed_on", "id"))
    inner_sql, inner_params = inner.query.sql_with_params()
    quoted = [f'"{alias}"' for alias in ROW_ALIASES]
    columns = ", ".join([*(escape_formula_sql(f"r.{a}") for a in quoted[:7]),
                         "NULLIF(s.session_dates, '')",
                         *(escape_formula_sql(f"r.{a}") for a in quoted[7:])])
    local_start = "min(starts_at AT TIME ZONE %s)"
    local_end = "max(ends_at AT TIME ZONE %s)"
    spans = (
        f"SELECT course_id, CASE WHEN {local_start}::date = {local_end}::date "  # noqa: S608
        f"THEN to_char({local_start}, 'YYYY-MM-DD') "
        f"ELSE to_char({local_start}, 'YYYY-MM-DD') || ' to ' || "
        f"to_char({local_end}, 'YYYY-MM-DD') END AS session_dates "
        f"FROM {Session._meta.db_table} WHERE NOT is_cancelled GROUP BY course_id"
    )
    # Every value is a parameter; only model table names and fixed SQL are interpolated.
    select = (f"SELECT {columns} FROM ({inner_sql}) r "  # noqa: S608
              f"LEFT JOIN ({spans}) s ON s.course_id = r.course_id "
              f"ORDER BY r.completed_on, r.id")
    with connection.cursor() as cursor:
        return cursor.mogrify(select, [*inner_params, *[settings.TIME_ZONE] * 5]).decode()


def copy_credit_report_csv(filters: dict, out: IO[bytes],
                           on_rows: Callable[[int], None] | None = None) -> None:
    """Write the credit report as CSV with PostgreSQL's COPY ... TO STDOUT.

    The server encodes the CSV and may use parallel workers (a cursor may not): used for files
    (background exports), where the whole result is wanted. The header goes through the shared
    writer, with its BOM.
    """
    statement = credit_report_copy_select(filters)
    writers.write_delimited([HEADER], out)
    with connections[read_alias()].cursor() as cursor:
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)",
                           _CountingWriter(out, on_rows), COPY_READ_SIZE)


class CreditReportExporter(Exporter):
    identifier = "credit_report"
    title = "Credit report"
    description = ("Every credit record with the learner's profession and identifiers, the "
                   "activity, session dates, credit type, amount and completion date.")
    form_class = CreditReportForm
    filename_stem = "credit-report"

    def estimate_rows(self, filters: dict) -> int:
        return credit_records_filtered(filters).count()

    def rows(self, filters: dict):
        yield HEADER
        session_dates = session_dates_by_course()
        records = credit_report_rows_queryset(filters)
        with full_result_planning():
            for row in records.iterator(chunk_size=CHUNK_SIZE):
                yield (*row[:7], session_dates.get(row[11], ""), *row[7:11])

    def write(self, fmt: str, filters: dict, out: IO[bytes],
              on_rows: Callable[[int], None] | None = None) -> None:
        if fmt == ExportFormat.CSV and connection.vendor == "postgresql":
            copy_credit_report_csv(filters, out, on_rows)
            return
        super().write(fmt, filters, out, on_rows=on_rows)
