"""Annual activity summary: activities by format, hours, learners and credits per type."""
from decimal import Decimal

from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course
from credits.reports.exporters.activity_data import activities_in_year
from credits.reports.exporters.base import Exporter
from credits.reports.exporters.pars_activities import YearForm


def _hours(value: Decimal) -> str:
    return f"{value:.2f}"


class AnnualSummaryExporter(Exporter):
    identifier = "annual_summary"
    title = "Annual activity summary"
    description = ("For one year, per activity format: number of activities, hours of "
                   "instruction, physician and other learners, and credit awarded per type.")
    form_class = YearForm
    filename_stem = "annual-summary"

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{filters['year']}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return len(Course.Format.choices) + 1

    def rows(self, filters: dict):
        catalog = credit_type_catalog()
        activities = list(activities_in_year(filters["year"]))
        awarded = {code for activity in activities for code in activity.credits_awarded}
        # The designable types, and any other type awarded this year, in the office's order.
        credit_types = [code for code, info in catalog.items()
                        if info.is_active or code in awarded]
        credit_types += sorted(awarded - set(credit_types))
        yield ("Activity format", "Activities", "Hours of instruction", "Physician learners",
               "Other learners", *[f"{catalog[code].name} awarded" for code in credit_types],
               "Commercially supported activities", "Commercial support received (USD)")
        totals = {"activities": 0, "hours": Decimal(0), "physicians": 0, "others": 0,
                  "supported": 0, "support": Decimal(0),
                  **{credit_type: Decimal(0) for credit_type in credit_types}}
        by_format = {value: {"activities": 0, "hours": Decimal(0), "physicians": 0, "others": 0,
                             "supported": 0, "support": Decimal(0),
                             **{credit_type: Decimal(0) for credit_type in credit_types}}
                     for value in Course.Format.values}
        for activity in activities:
            bucket = by_format[activity.course.format]
            for target in (bucket, totals):
                target["activities"] += 1
                target["hours"] += activity.hours_of_instruction
                target["physicians"] += activity.physician_learners
                target["others"] += activity.other_learners
                for credit_type, amount in activity.credits_awarded.items():
                    target[credit_type] += amount
                # ACCME Standard 4 records (courses.disclosures), not the legacy course flag.
                target["supported"] += bool(activity.supports)
                target["support"] += sum((s.amount or 0 for s in activity.supports), Decimal(0))
        for value, label in Course.Format.choices:
            bucket = by_format[value]
            yield (label, bucket["activities"], _hours(bucket["hours"]), bucket["physicians"],
                   bucket["others"], *[_hours(bucket[t]) for t in credit_types],
                   bucket["supported"], _hours(bucket["support"]))
        yield ("Total", totals["activities"], _hours(totals["hours"]), totals["physicians"],
               totals["others"], *[_hours(totals[t]) for t in credit_types],
               totals["supported"], _hours(totals["support"]))
