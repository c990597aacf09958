"""PARS activity data: one row per activity of a year, as CSV/XLSX or a MedBiquitous-style XML.

The XML follows the shape of the MedBiquitous activity report that ACCME's XML batch upload
uses (an activity list under the provider, dates as ISO 8601, credits with their type,
participant counts, commercial support and joint providership); it is not validated against
the published schema.
"""
from collections.abc import Callable
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django import forms
from django.conf import settings
from django.utils import timezone

from courses.credit_types import CreditType
from courses.models import Course
from credits.reports.exporters.activity_data import ActivityYear, activities_in_year
from credits.reports.exporters.base import Exporter, ExportFormat, year_choices

# PARS activity types for the portal's course formats.
PARS_ACTIVITY_TYPE = {
    Course.Format.LIVE: "Course",
    Course.Format.HYBRID: "Course",
    Course.Format.RSS: "Regularly Scheduled Series",
    # The portal's enduring activities are online modules: ACCME's "Internet Enduring Material".
    Course.Format.ENDURING: "Internet Enduring Material",
    Course.Format.DRILL: "Internet Enduring Material",
}

HEADER = ("Activity ID", "Activity title", "Activity type", "Start date", "End date",
          "Location", "AMA PRA Category 1 Credits designated", "Physician learners",
          "Other learners", "Commercial support", "Commercial supporters", "Providership",
          "Joint provider", "Commercial support amount (USD)", "In-kind support")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(choices=year_choices, coerce=int, label="Year")


def _local_date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _support_fields(activity: ActivityYear) -> tuple[bool, list[str], str, str]:
    """Received?, supporters, total monetary amount and in-kind support: from the activity's
    Standard 4 records, or the course's older supporters field when it has none."""
    course = activity.course
    if activity.supports:
        names = list(dict.fromkeys(support.supporter for support in activity.supports))
        total = sum((support.amount or 0 for support in activity.supports), Decimal(0))
        in_kind = "; ".join(f"{support.in_kind} ({support.supporter})"
                            for support in activity.supports if support.in_kind)
        return True, names, f"{total:.2f}" if total else "", in_kind
    names = ([name.strip() for name in course.commercial_supporters.split(";") if name.strip()]
             if course.commercial_support else [])
    return course.commercial_support, names, "", ""


def _activity_fields(activity: ActivityYear) -> dict:
    course = activity.course
    received, supporters, amount, in_kind = _support_fields(activity)
    return {
        "id": str(course.pk),
        "title": course.title,
        "type": PARS_ACTIVITY_TYPE[course.format],
        "start": (course.release_date.isoformat() if course.release_date
                  else _local_date(activity.first_session or course.published_at)),
        "end": (course.termination_date.isoformat() if course.termination_date
                else _local_date(activity.last_session_end)),
        "location": "Online" if course.is_self_paced else activity.location,
        "ama_designated": f"{activity.credits_designated.get(CreditType.AMA_PRA_1, 0):.2f}",
        "physicians": str(activity.physician_learners),
        "others": str(activity.other_learners),
        "commercial_support": "Yes" if received else "No",
        "supporters": "; ".join(supporters),
        "providership": "Joint" if course.joint_provider else "Direct",
        "joint_provider": course.joint_provider,
        "support_amount": amount,
        "in_kind": in_kind,
    }


class ParsActivityExporter(Exporter):
    identifier = "pars_activities"
    title = "PARS activity data"
    description = ("Each activity of a year: type, dates, location, AMA credit designated, "
                   "physician and other learners, commercial support and joint providership.")
    form_class = YearForm
    formats = (ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.XML)
    filename_stem = "pars-activities"

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{filters['year']}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return len(activities_in_year(filters["year"]))

    def rows(self, filters: dict):
        yield HEADER
        for activity in activities_in_year(filters["year"]):
            yield tuple(_activity_fields(activity).values())

    def streams(self, fmt: str) -> bool:
        return fmt == ExportFormat.XML or super().streams(fmt)

    def iter_bytes(self, fmt: str, filters: dict, on_rows: Callable[[int], None] | None = None):
        if fmt != ExportFormat.XML:
            return super().iter_bytes(fmt, filters, on_rows=on_rows)
        return self._iter_xml(filters, on_rows)

    def _iter_xml(self, filters: dict, on_rows):
        chunks: list[bytes] = []

        class _Sink:
            def write(self, data):
                chunks.append(data if isinstance(data, bytes) else data.encode())

        xml = XMLGenerator(_Sink(), encoding="utf-8", short_empty_elements=True)

        def element(name: str, text: str, attrs: dict | None = None) -> None:
            xml.startElement(name, attrs or {})
            xml.characters(text)
            xml.endElement(name)

        xml.startDocument()
        xml.startElement("ActivityReport", {"reportingYear": str(filters["year"])})
        xml.startElement("Provider", {})
        element("Name", settings.HOSPITAL_NAME)
        xml.startElement("Activities", {})
        done = 0
        for activity in activities_in_year(filters["year"]):
            fields = _activity_fields(activity)
            xml.startElement("Activity", {"id": fields["id"]})
            element("ActivityTitle", fields["title"])
            element("ActivityType", fields["type"])
            element("StartDate", fields["start"])
            element("EndDate", fields["end"])
            element("Location", fields["location"])
            element("Credits", fields["ama_designated"],
                    {"type": "AMA PRA Category 1 Credit"})
            xml.startElement("Participants", {})
            element("Physicians", fields["physicians"])
            element("OtherLearners", fields["others"])
            xml.endElement("Participants")
            xml.startElement("CommercialSupport",
                             {"received": "true" if fields["commercial_support"] == "Yes"
                              else "false"})
            for supporter in filter(None, (name.strip() for name in
                                           fields["supporters"].split(";"))):
                element("Source", supporter)
            if fields["support_amount"]:
                element("MonetaryAmount", fields["support_amount"], {"currency": "USD"})
            if fields["in_kind"]:
                element("InKind", fields["in_kind"])
            xml.endElement("CommercialSupport")
            xml.startElement("Providership", {"type": fields["providership"]})
            if fields["joint_provider"]:
                element("JointProvider", fields["joint_provider"])
            xml.endElement("Providership")
            xml.endElement("Activity")
            done += 1
            yield b"".join(chunks)
            chunks.clear()
            if on_rows is not None:
                on_rows(done)
        xml.endElement("Activities")
        xml.endElement("Provider")
        xml.endElement("ActivityReport")
        xml.endDocument()
        yield b"".join(chunks)
        if on_rows is not None:
            on_rows(done)

    def write(self, fmt: str, filters: dict, out: IO[bytes], on_rows=None) -> None:
        if fmt == ExportFormat.XML:
            for chunk in self._iter_xml(filters, on_rows):
                out.write(chunk)
            return
        super().write(fmt, filters, out, on_rows=on_rows)
