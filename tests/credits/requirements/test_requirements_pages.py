"""The requirement progress on My learning, the requirements page, and the admin that edits
the rules."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Topic
from credits.models import RequirementSet
from credits.requirements.selectors import requirement_progress_for
from tests.credits.requirements.test_requirements_progress import EXPIRES, course_with, record
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def test_my_learning_shows_progress_per_requirement_with_the_shortfall(client, clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(clinician, amount="3.5", course=course_with("risk-management"))
    record(clinician, amount="3", course=course_with("opioid-pain-management"))
    client.force_login(clinician)

    page = client.get(reverse("learning:my_learning")).content.decode()

    assert "Massachusetts physician licence renewal" in page
    assert "6.5 credits of risk management still needed by 14 March 2027" in page
    assert "3.5 of 10 credits" in page
    assert 'aria-label="Risk management: 3.5 credits of 10 credits earned (35%)"' in page
    assert "Met: 3 credits of opioid education and pain management earned." in page
    assert page.count('class="badge badge-done">Met<') == 1


def test_my_learning_without_a_licence_shows_no_requirements(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "Licence requirements" not in page


def test_requirements_page_lists_the_records_that_count(client, clinician, other_clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    mine = course_with("risk-management")
    record(clinician, amount="2", course=mine)
    theirs = course_with("risk-management")
    record(other_clinician, amount="5", course=theirs)
    client.force_login(clinician)

    page = client.get(reverse("requirements:progress")).content.decode()

    assert mine.title in page
    assert "2.00 AMA PRA Category 1 Credits™" in page
    assert theirs.title not in page


def test_requirements_page_explains_an_untracked_licence(client, clinician):
    LicenceFactory(user=clinician, state="NY")
    client.force_login(clinician)
    page = client.get(reverse("requirements:progress")).content.decode()
    assert "does not track renewal requirements for your licences" in page


def test_administrator_edits_the_rules_and_topic_rows_in_the_admin(client, admin_user):
    rules = RequirementSet.objects.get(state="MA", profession="physician")
    rows = list(rules.topic_requirements.order_by("pk"))
    client.force_login(admin_user)
    url = reverse("admin:credits_requirementset_change", args=[rules.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": rules.name, "state": "MA", "profession": "physician", "is_active": "on",
        "effective_from": "2000-01-01", "cycle_months": "24", "cycle_anchor": "licence_expiry",
        "total_credits": "40", "live_minimum": "0", "carry_over_maximum": "0",
        "accepted_credit_types": ["ama_pra_1"], "source_note": rules.source_note,
        "source_url": rules.source_url, "source_read_on": "2026-12-07",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "1000",
        "topic_requirements-TOTAL_FORMS": str(len(rows) + 1),
        "topic_requirements-INITIAL_FORMS": str(len(rows)),
        "topic_requirements-MIN_NUM_FORMS": "0", "topic_requirements-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        prefix = f"topic_requirements-{index}-"
        data |= {f"{prefix}id": row.pk, f"{prefix}requirement_set": rules.pk,
                 f"{prefix}topic": row.topic_id, f"{prefix}minimum_credits": row.minimum_credits,
                 f"{prefix}one_time": "on" if row.one_time else ""}
    new = f"topic_requirements-{len(rows)}-"
    data |= {f"{new}requirement_set": rules.pk,
             f"{new}topic": Topic.objects.get(slug="patient-safety").pk,
             f"{new}minimum_credits": "1.5"}

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    rules.refresh_from_db()
    assert rules.total_credits == 40
    added = rules.topic_requirements.get(topic__slug="patient-safety")
    assert added.minimum_credits == Decimal("1.5") and not added.one_time
    assert rules.topic_requirements.count() == len(rows) + 1
    # The history holds the values the save left, its topic rows included.
    [change] = rules.changes.all()
    assert change.changed_by == admin_user and change.values["total_credits"] == "40"
    assert {"topic": "patient-safety", "minimum_credits": "1.50",
            "one_time": False} in change.values["topics"]


def test_a_cycle_that_has_ended_is_still_shown_until_the_licence_is_renewed(client, clinician):
    LicenceFactory(user=clinician, expires_on=datetime.date(2025, 1, 31))
    [progress] = requirement_progress_for(user=clinician)
    assert progress.cycle_starts_on == datetime.date(2023, 2, 1)
    assert progress.total.status_sentence == "50 credits still needed by 31 January 2025"


def _queries(client, user, url_name) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["learning:my_learning", "requirements:progress"])
def test_page_query_count_does_not_grow_with_credit_records(client, clinician, other_clinician,
                                                            url_name):
    for user, size in ((clinician, 1), (other_clinician, 50)):
        LicenceFactory(user=user, expires_on=EXPIRES)
        for index in range(size):
            record(user, amount="1", course=course_with(
                ["risk-management", "implicit-bias", "end-of-life-care"][index % 3]))

    assert _queries(client, clinician, url_name) == _queries(client, other_clinician, url_name)
