"""Disclosure and mitigation audit (ACCME Standards 3 and 4): per activity, each person in
control of content, their signed disclosure, each relationship and its mitigation, with who
decided and when; then each commercial support record."""
from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone

from courses.disclosures.selectors import activity_disclosures, publication_prefetches
from courses.models import Course, Disclosure, Session
from credits.reports.exporters.activity_data import _year_bounds
from credits.reports.exporters.base import Exporter, year_choices

HEADER = ("Activity ID", "Activity title", "Status", "Person", "Email", "Roles",
          "Disclosure signed on", "Valid until", "Signature", "Source",
          "No relationships attested", "Ineligible company", "Nature", "Ended on",
          "Owner or employee", "Relevant", "Mitigation step", "Owner/employee exception",
          "Reviewed by", "Reviewed at")


class AuditYearForm(forms.Form):
    year = forms.TypedChoiceField(choices=year_choices, coerce=int, label="Activities of year")


def _activities(year: int):
    start, end = _year_bounds(year)
    with_session = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return (Course.objects.exclude(status=Course.Status.DRAFT)
            .filter(Q(pk__in=with_session.values("course_id"))
                    | Q(format=Course.Format.ENDURING, release_date__year__lte=year,
                        termination_date__year__gte=year))
            .order_by("title", "pk")
            .prefetch_related(
                Prefetch("sessions", queryset=Session.objects.prefetch_related("faculty")),
                Prefetch("disclosures", queryset=Disclosure.objects.select_related("faculty")),
                *publication_prefetches(today=timezone.localdate())))


def _day(value) -> str:
    return value.isoformat() if value else ""


class DisclosureAuditExporter(Exporter):
    identifier = "disclosure_audit"
    title = "Disclosure and mitigation audit"
    description = ("Per activity of a year: everyone in control of content, their signed "
                   "disclosure, each financial relationship and how it was mitigated (who, "
                   "when), and commercial support with its written agreement.")
    form_class = AuditYearForm
    filename_stem = "disclosure-audit"

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{filters['year']}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return _activities(filters["year"]).count() * 4

    def rows(self, filters: dict):
        yield HEADER
        for course in _activities(filters["year"]):
            activity = (str(course.pk), course.title, course.get_status_display())
            for row in activity_disclosures(course):
                disclosure = row.disclosure
                person = (str(row.person), row.person.email, ", ".join(row.roles))
                if disclosure is None:
                    yield (*activity, *person, "", "", "", "", "", *[""] * 9)
                    continue
                signed = (_day(disclosure.signed_on), _day(disclosure.valid_until),
                          disclosure.signature, disclosure.get_source_display(),
                          "Yes" if disclosure.none_to_disclose else "No")
                if not row.relationships:
                    yield (*activity, *person, *signed, *[""] * 9)
                for item in row.relationships:
                    relationship, mitigation = item.relationship, item.mitigation
                    decided = (("Yes" if mitigation.relevant else "No", mitigation.step_text,
                                mitigation.get_owner_exception_display(),
                                mitigation.reviewer.full_name,
                                timezone.localtime(mitigation.decided_at).isoformat(
                                    timespec="minutes"))
                               if mitigation else ("Not reviewed", "", "", "", ""))
                    yield (*activity, *person, *signed, relationship.company,
                           relationship.nature_text, _day(relationship.ended_on),
                           "Yes" if relationship.is_owner_or_employee else "No", *decided)
            for support in course.supports.all():
                given = "; ".join(filter(None, [
                    f"USD {support.amount:.2f}" if support.amount else "",
                    f"in kind: {support.in_kind}" if support.in_kind else ""]))
                yield (*activity, "Commercial support", "", "",
                       _day(support.agreement_signed_on), "",
                       "Written agreement uploaded" if support.agreement
                       else "No agreement uploaded", "", "", support.supporter, given,
                       *[""] * 5, support.recorded_by.full_name,
                       timezone.localtime(support.recorded_at).isoformat(timespec="minutes"))
