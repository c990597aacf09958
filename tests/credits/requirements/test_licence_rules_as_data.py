"""Licence rules as data: versions by effective date, cycle anchors, the live-only portion,
carry-over, the seeded boards with their sources, and the history an auditor reads."""
import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from courses.models import Course
from credits.learning.reminders import licence_shortfalls
from credits.models import RequirementSet, RequirementSetChange
from credits.requirements.rules import REFERENCE_RULES
from credits.requirements.selectors import requirement_progress_for
from credits.requirements.services import requirement_set_change_record
from tests.credits.requirements.test_requirements_progress import EXPIRES, IN_CYCLE, record
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
BOARD_CHANGE = datetime.date(2026, 9, 1)


def test_every_seeded_board_has_its_source_and_the_date_it_was_read():
    seeded = {(rules["state"], rules["profession"]) for rules in REFERENCE_RULES}
    assert seeded == {("MA", "physician"), ("MA", "nurse"), ("MA", "pharmacist"),
                      ("MA", "physician_assistant"), ("MA", "psychologist"),
                      ("MA", "social_worker"), ("NH", "physician")}
    for rules in RequirementSet.objects.filter(is_active=True):
        assert rules.source_url.startswith("https://") and rules.source_read_on, rules.name
        assert rules.accepted_credit_types and rules.source_note


def test_a_rule_with_a_future_effective_date_moves_progress_only_from_that_date(clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(clinician, amount="30")
    current = RequirementSet.objects.get(state="MA", profession="physician")
    RequirementSet.objects.create(
        state="MA", profession="physician", name="Massachusetts physician licence renewal",
        effective_from=BOARD_CHANGE, cycle_months=24, total_credits=Decimal("60"),
        accepted_credit_types=["ama_pra_1"])

    [before] = requirement_progress_for(user=clinician, today=BOARD_CHANGE
                                        - datetime.timedelta(days=1))
    [on_the_day] = requirement_progress_for(user=clinician, today=BOARD_CHANGE)

    assert before.requirement_set == current
    assert (before.total.earned, before.total.required) == (30, 50)
    assert len(before.topics) == 6
    assert (on_the_day.total.earned, on_the_day.total.required) == (30, 60)
    assert on_the_day.topics == []
    # The licence-deadline reminder reads the rules in force on its own day.
    assert {s.requirement: s.needed for s in licence_shortfalls(
        clinician, before.licence, today=BOARD_CHANGE)} == {"All credits": 60}


def test_birthday_and_calendar_year_anchors_set_the_cycle(clinician):
    clinician.birth_month, clinician.birth_day = 2, 29
    clinician.save(update_fields=["birth_month", "birth_day"])
    LicenceFactory(user=clinician, state="MA", profession="nurse", expires_on=EXPIRES)
    LicenceFactory(user=clinician, state="NH", profession="physician",
                   expires_on=datetime.date(2027, 6, 30))

    progress = {item.licence.state: item for item in
                requirement_progress_for(user=clinician, today=TODAY)}

    # Born on 29 February: the birthday of 2027 is the month's last day.
    assert progress["MA"].cycle_ends_on == datetime.date(2027, 2, 28)
    assert progress["MA"].cycle_starts_on == datetime.date(2025, 3, 1)
    # New Hampshire counts the two calendar years before the renewal year.
    assert (progress["NH"].cycle_starts_on, progress["NH"].cycle_ends_on) == (
        datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))


def test_only_live_activities_count_toward_the_live_only_portion(clinician):
    LicenceFactory(user=clinician, state="MA", profession="pharmacist", expires_on=EXPIRES)
    live = Course.objects.create(title="Anticoagulation grand rounds", slug="anticoag-rounds",
                                 summary="Grand rounds.", format=Course.Format.RSS)
    online = Course.objects.create(title="Sterile compounding refresher", slug="usp-797",
                                   summary="Online.", format=Course.Format.ENDURING)
    record(clinician, amount="3", course=live, credit_type="acpe")
    record(clinician, amount="5", course=online, credit_type="acpe")

    [progress] = requirement_progress_for(user=clinician, today=TODAY)

    live_line = progress.topics[0]
    assert live_line.live_only and (live_line.earned, live_line.required) == (3, 10)
    assert live_line.status_sentence == (
        "7 credits from live activities still needed by 14 March 2027")
    assert progress.total.earned == 8


def test_credit_above_the_last_cycle_total_carries_over_up_to_the_allowance(clinician):
    RequirementSet.objects.filter(state="MA", profession="physician").update(
        carry_over_maximum=Decimal("10"))
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(clinician, amount="65", completed_on=datetime.date(2024, 5, 1))  # last cycle
    record(clinician, amount="20", completed_on=IN_CYCLE)

    [progress] = requirement_progress_for(user=clinician, today=TODAY)

    assert (progress.total.earned, progress.total.carried_over) == (30, 10)
    assert progress.total.carried_over_sentence == (
        "Includes 10 credits carried over from the previous cycle.")


def test_the_history_of_a_rule_cannot_be_rewritten(admin_user):
    rules = RequirementSet.objects.get(state="MA", profession="physician")
    change = requirement_set_change_record(requirement_set=rules, editor=admin_user)
    assert len(change.values["topics"]) == 6
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementSetChange.objects.filter(pk=change.pk).update(values={})
