"""The disclosure and mitigation audit, and the PARS activity data and annual summary taking
commercial support from the Standard 4 records."""
import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.disclosures.services import commercial_support_save
from courses.models import Course
from credits.reports.exporters import EXPORTERS
from tests.factories import (
    DisclosureFactory,
    FacultyFactory,
    course_ready_for_review,
    relationship_disclosed,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def _csv(identifier: str, filters: dict) -> list[dict]:
    exporter = EXPORTERS[identifier]
    out = io.BytesIO()
    exporter.write("csv", exporter.clean_filters(filters), out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def activity(educator):
    course = course_ready_for_review(directors=[educator], title="Heart Failure Update",
                                     status=Course.Status.PUBLISHED)
    relationship_disclosed(course=course, faculty=FacultyFactory(full_name="Sofia Alvarez"),
                           company="Cardiora Therapeutics", mitigated_by=educator)
    DisclosureFactory(course=course, faculty=FacultyFactory(full_name="Pat Planner"),
                      role="planner", signed=False)
    commercial_support_save(course=course, editor=educator, supporter="Cardiora Therapeutics",
                            amount=5000, in_kind="Echo machines on loan",
                            agreement=SimpleUploadedFile("a.pdf", PDF),
                            agreement_signed_on=datetime.date(2026, 1, 5))
    return course


def test_audit_lists_each_person_relationship_mitigation_and_support(activity, educator):
    year = activity.sessions.get().starts_at.year
    rows = {(row["Person"], row["Ineligible company"]): row
            for row in _csv("disclosure_audit", {"year": str(year)})}
    alvarez = rows[("Sofia Alvarez, MD", "Cardiora Therapeutics")]
    assert (alvarez["Nature"], alvarez["Relevant"], alvarez["Mitigation step"],
            alvarez["Reviewed by"]) == ("Consultant", "Yes", "Peer review of content",
                                        educator.full_name)
    assert rows[("Ana Costa, MD", "")]["No relationships attested"] == "Yes"
    assert rows[("Pat Planner, MD", "")]["Disclosure signed on"] == ""
    support = rows[("Commercial support", "Cardiora Therapeutics")]
    assert support["Nature"] == "USD 5000.00; in kind: Echo machines on loan"
    assert support["Signature"] == "Written agreement uploaded"


def test_pars_activity_data_and_annual_summary_take_the_support_records(activity):
    year = str(activity.sessions.get().starts_at.year)
    pars = next(row for row in _csv("pars_activities", {"year": year})
                if row["Activity title"] == "Heart Failure Update")
    assert (pars["Commercial support"], pars["Commercial supporters"],
            pars["Commercial support amount (USD)"], pars["In-kind support"]) == (
        "Yes", "Cardiora Therapeutics", "5000.00",
        "Echo machines on loan (Cardiora Therapeutics)")
    total = next(row for row in _csv("annual_summary", {"year": year})
                 if row["Activity format"] == "Total")
    assert (total["Commercially supported activities"],
            total["Commercial support received (USD)"]) == ("1", "5000.00")
