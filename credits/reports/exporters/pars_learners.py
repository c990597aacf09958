"""ACCME PARS learner completion file (tab-delimited) and its validation report.

Columns and value formats follow ACCME's CME/MOC learner batch template (file
917_20240125_Learner_Excel_CME_MOC_Template, January 2024): one row per learner and activity,
completion date MM/DD/YYYY, date of birth MM/DD, licensing state as the two-letter code. Only
learners who consented to credit reporting are included; a learner missing an identifier ACCME
needs is left out of the upload file and listed in the validation report instead.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import Case, DecimalField, Max, OuterRef, Subquery, Sum, When

from accounts.models import Licence
from courses.credit_types import CreditType
from courses.models import Course
from credits.ledger.models import CreditRecord
from credits.reports.exporters.base import DateRangeForm, Exporter, ExportFormat, split_full_name

PARS_LEARNER_COLUMNS = (
    "Record Action", "ACCME Activity ID", "Completion Date", "First Name", "Last Name",
    "Date of Birth", "Licensing State", "Licensing ID or NPI", "Number of CME Credits",
    "Certifying Board", "Certifying Board ID", "Total Board Credits", "Credit Type",
    "Credits Awarded for Credit Type",
)
VALIDATION_COLUMNS = ("Learner name", "Email", "ACCME Activity ID", "Activity",
                      "Completion Date", "Missing")


class ParsLearnerForm(DateRangeForm):
    course = forms.ModelChoiceField(
        queryset=Course.objects.exclude(status=Course.Status.DRAFT).only("pk", "title"),
        required=False, empty_label="All activities", label="Activity")


@dataclass
class ParsCompletion:
    course_id: int
    course_title: str
    full_name: str
    email: str
    completed_on: object
    birth_month: int | None
    birth_day: int | None
    licence_state: str
    licence_number: str
    npi: str
    certifying_board: str
    board_id: str
    cme_credits: Decimal
    moc_points: Decimal
    missing: list[str] = field(default_factory=list)


def _amount_of(credit_type: str):
    return Sum(Case(When(credit_type=credit_type, then="amount"),
                    output_field=DecimalField(max_digits=7, decimal_places=2)))


def pars_completions_queryset(filters: dict):
    """One row per consenting learner and activity with AMA credit or ABIM MOC points."""
    newest_licence = Licence.objects.filter(user=OuterRef("user")).order_by("-expires_on")
    records = CreditRecord.objects.filter(
        status=CreditRecord.Status.ACTIVE, course__isnull=False,
        user__consents_to_credit_reporting=True,
        credit_type__in=[CreditType.AMA_PRA_1, CreditType.ABIM_MOC],
    )
    if filters.get("completed_from"):
        records = records.filter(completed_on__gte=filters["completed_from"])
    if filters.get("completed_to"):
        records = records.filter(completed_on__lte=filters["completed_to"])
    if filters.get("course"):
        records = records.filter(course=filters["course"])
    return (
        records.values("course_id", "course__title", "user_id", "user__full_name",
                       "user__email", "user__birth_month", "user__birth_day", "user__npi",
                       "user__certifying_board", "user__board_id")
        .annotate(
            completed_on=Max("completed_on"),
            cme_credits=_amount_of(CreditType.AMA_PRA_1),
            moc_points=_amount_of(CreditType.ABIM_MOC),
            licence_state=Subquery(newest_licence.values("state")[:1]),
            licence_number=Subquery(newest_licence.values("number")[:1]),
        )
        .order_by("course_id", "user__full_name", "user_id")
    )


def pars_completions(filters: dict):
    for row in pars_completions_queryset(filters).iterator(chunk_size=2000):
        completion = ParsCompletion(
            course_id=row["course_id"], course_title=row["course__title"],
            full_name=row["user__full_name"], email=row["user__email"],
            completed_on=row["completed_on"], birth_month=row["user__birth_month"],
            birth_day=row["user__birth_day"], licence_state=row["licence_state"] or "",
            licence_number=row["licence_number"] or "", npi=row["user__npi"],
            certifying_board=row["user__certifying_board"], board_id=row["user__board_id"],
            cme_credits=row["cme_credits"] or Decimal(0),
            moc_points=row["moc_points"] or Decimal(0),
        )
        completion.missing = missing_identifiers(completion)
        yield completion


def missing_identifiers(completion: ParsCompletion) -> list[str]:
    """What ACCME needs to match the learner and is not in their profile."""
    missing = []
    first_name, last_name = split_full_name(completion.full_name)
    if not first_name or not last_name:
        missing.append("first and last name")
    if not (completion.birth_month and completion.birth_day):
        missing.append("birth month and day")
    if completion.cme_credits and not (
            (completion.licence_state and completion.licence_number) or completion.npi):
        missing.append("licensing state and licence number, or NPI")
    if completion.moc_points and not (completion.certifying_board and completion.board_id):
        missing.append("certifying board and board ID (MOC points claimed)")
    return missing


def _amount_text(amount: Decimal) -> str:
    return f"{amount:.2f}" if amount else ""


def pars_learner_row(completion: ParsCompletion) -> tuple:
    first_name, last_name = split_full_name(completion.full_name)
    if completion.licence_state and completion.licence_number:
        state, identifier = completion.licence_state, completion.licence_number
    else:
        state, identifier = "", completion.npi
    has_moc = bool(completion.moc_points)
    return (
        "Add",
        str(completion.course_id),
        completion.completed_on.strftime("%m/%d/%Y"),
        first_name,
        last_name,
        f"{completion.birth_month:02d}/{completion.birth_day:02d}",
        state,
        identifier,
        _amount_text(completion.cme_credits),
        completion.certifying_board if has_moc else "",
        completion.board_id if has_moc else "",
        _amount_text(completion.moc_points),
        "",
        "",
    )


class ParsLearnerExporter(Exporter):
    identifier = "pars_learners"
    title = "ACCME PARS learner file"
    description = ("Tab-delimited learner completions (AMA PRA Category 1 credit and ABIM MOC "
                   "points) for upload to PARS. Only learners who consented to reporting; "
                   "learners missing an identifier are listed in the validation report.")
    form_class = ParsLearnerForm
    formats = (ExportFormat.TAB,)
    filename_stem = "pars-learners"

    def estimate_rows(self, filters: dict) -> int:
        return pars_completions_queryset(filters).count()

    def rows(self, filters: dict):
        yield PARS_LEARNER_COLUMNS
        for completion in pars_completions(filters):
            if not completion.missing:
                yield pars_learner_row(completion)


class ParsLearnerValidationExporter(Exporter):
    identifier = "pars_learner_validation"
    title = "PARS learner validation report"
    description = ("Consenting learners left out of the PARS learner file because an "
                   "identifier ACCME needs is missing, and what to ask them for.")
    form_class = ParsLearnerForm
    filename_stem = "pars-learner-validation"

    def estimate_rows(self, filters: dict) -> int:
        return pars_completions_queryset(filters).count()

    def rows(self, filters: dict):
        yield VALIDATION_COLUMNS
        for completion in pars_completions(filters):
            if completion.missing:
                yield (completion.full_name, completion.email, str(completion.course_id),
                       completion.course_title, completion.completed_on.strftime("%m/%d/%Y"),
                       "; ".join(completion.missing))
