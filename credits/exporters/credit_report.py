"""Credit report: every credit record with its learner, activity and amount, filterable.

Built for a million rows: the whole row is computed by PostgreSQL (labels, text formats,
session dates) and read through a server-side cursor (`QuerySet.iterator`), so memory stays flat
and Python only hands tuples to the CSV writer.
"""
from django import forms
from django.conf import settings
from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from accounts.choices import Profession
from courses.credit_types import CreditType
from courses.models import Course, Session

from ..models import CreditRecord
from .base import DateRangeForm, Exporter

CHUNK_SIZE = 5000

HEADER = ("Learner name", "Email", "Profession", "Degree", "NPI", "Board ID", "Activity",
          "Session dates", "Credit type", "Amount", "Completion date", "Certificate code")


class CreditReportForm(DateRangeForm):
    STATUS_CHOICES = [("active", "Active credit only"), ("voided", "Voided credit only"),
                      ("all", "Active and voided")]

    course = forms.ModelChoiceField(
        queryset=Course.objects.exclude(status=Course.Status.DRAFT).only("pk", "title"),
        required=False, empty_label="All activities", label="Activity")
    profession = forms.ChoiceField(choices=[("", "All professions"), *Profession.choices],
                                   required=False)
    credit_type = forms.ChoiceField(choices=[("", "All credit types"), *CreditType.choices],
                                    required=False)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial="active")


def certificate_codes_subquery():
    """The certificate verification code of each row's learner and course, or None.

    The Certificate model (one per learner and course, with `verification_code`) is built in
    parallel; until it is merged the column stays empty. Wire it by returning
    `Subquery(Certificate.objects.filter(user=OuterRef("user"), course=OuterRef("course"))
    .values("verification_code")[:1])`.
    """
    return None


def _label_case(field: str, choices) -> Case:
    return Case(*[When(**{field: value}, then=Value(label)) for value, label in choices],
                default=Value(""), output_field=CharField())


def _session_dates() -> RawSQL:
    """'2026-03-02' or '2026-03-02 to 2026-03-04' in the office's zone, from the course's
    sessions that were not cancelled."""
    zone = settings.TIME_ZONE
    local_start = "min(s.starts_at AT TIME ZONE %s)"
    local_end = "max(s.ends_at AT TIME ZONE %s)"
    # Table names come from model metadata and the zone is a parameter: nothing user-supplied.
    sql = (
        f"(SELECT CASE WHEN {local_start}::date = {local_end}::date "  # noqa: S608
        f"THEN to_char({local_start}, 'YYYY-MM-DD') "
        f"ELSE to_char({local_start}, 'YYYY-MM-DD') || ' to ' || "
        f"to_char({local_end}, 'YYYY-MM-DD') END "
        f"FROM {Session._meta.db_table} s "
        f"WHERE s.course_id = {CreditRecord._meta.db_table}.course_id AND NOT s.is_cancelled)"
    )
    return RawSQL(sql, [zone] * 5, output_field=CharField())  # noqa: S611


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
    """The report as one SELECT of text columns, in HEADER order."""
    certificate_code = certificate_codes_subquery()
    return (
        credit_records_filtered(filters)
        .annotate(
            profession_label=_label_case("user__profession", Profession.choices),
            activity=Coalesce("course__title", "external_activity__title"),
            session_dates=Coalesce(_session_dates(), Value("")),
            credit_type_label=_label_case("credit_type", CreditType.choices),
            amount_text=Cast("amount", CharField()),
            completed_text=Cast("completed_on", CharField()),
            certificate_code=Coalesce(certificate_code, Value(""))
            if certificate_code is not None else Value("", output_field=CharField()),
        )
        .order_by("completed_on", "pk")
        .values_list("user__full_name", "user__email", "profession_label", "user__degree",
                     "user__npi", "user__board_id", "activity", "session_dates",
                     "credit_type_label", "amount_text", "completed_text", "certificate_code")
    )


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
        yield from credit_report_rows_queryset(filters).iterator(chunk_size=CHUNK_SIZE)
