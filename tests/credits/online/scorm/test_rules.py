"""The completion rules, including the bugs users of other players report most."""
from decimal import Decimal

import pytest

from courses.packages.models import ContentPackage
from credits.online.scorm.rules import duration_seconds, sco_outcome
from tests.credits.online.scorm.helpers import scorm12_cmi, scorm2004_cmi

SCORM_12 = ContentPackage.Standard.SCORM_12
SCORM_2004 = ContentPackage.Standard.SCORM_2004


@pytest.mark.parametrize(("status", "satisfied"), [
    ("passed", True), ("completed", True), ("failed", False), ("incomplete", False),
    ("browsed", False), ("not attempted", False), ("", False)])
def test_scorm_12_passed_or_completed_counts(status, satisfied):
    # openedx-scorm-xblock #104/#110: "passed" must count as completed.
    outcome = sco_outcome(standard=SCORM_12, sco={}, cmi=scorm12_cmi(status=status))
    assert outcome.satisfied is satisfied


def test_scorm_12_mastery_score_decides_on_the_raw_score():
    sco = {"mastery_score": "80"}
    assert not sco_outcome(standard=SCORM_12, sco=sco,
                           cmi=scorm12_cmi(status="completed", raw="75")).satisfied
    assert sco_outcome(standard=SCORM_12, sco=sco,
                       cmi=scorm12_cmi(status="failed", raw="80")).satisfied


def test_a_reported_score_is_kept_and_an_empty_one_is_no_score():
    # openedx-scorm-xblock #51: a score stored as 0.
    outcome = sco_outcome(standard=SCORM_12, sco={}, cmi=scorm12_cmi(status="passed", raw="85"))
    assert (outcome.score_raw, outcome.score_percent) == (Decimal("85"), Decimal("85.00"))
    empty = sco_outcome(standard=SCORM_12, sco={}, cmi=scorm12_cmi(status="passed", raw=""))
    assert (empty.score_raw, empty.score_percent) == (None, None)
    cmi = scorm12_cmi(status="passed", raw="17")
    cmi["core"]["score"].update({"min": "0", "max": "20"})
    assert sco_outcome(standard=SCORM_12, sco={}, cmi=cmi).score_percent == Decimal("85.00")


@pytest.mark.parametrize(("completion", "success", "satisfied"), [
    ("completed", "passed", True), ("completed", "unknown", True),
    ("completed", "failed", False), ("incomplete", "passed", False),
    ("unknown", "unknown", False)])
def test_scorm_2004_needs_completed_and_not_failed(completion, success, satisfied):
    cmi = scorm2004_cmi(completion=completion, success=success)
    assert sco_outcome(standard=SCORM_2004, sco={}, cmi=cmi).satisfied is satisfied


def test_scorm_2004_scaled_passing_score_from_the_manifest_decides_success():
    sco = {"scaled_passing_score": "0.8"}
    low = sco_outcome(standard=SCORM_2004, sco=sco,
                      cmi=scorm2004_cmi(completion="completed", success="passed", scaled="0.7"))
    assert (low.satisfied, low.success_status, low.score_percent) == (
        False, "failed", Decimal("70.00"))
    high = sco_outcome(standard=SCORM_2004, sco=sco,
                       cmi=scorm2004_cmi(completion="completed", success="unknown",
                                         scaled="0.85"))
    assert (high.satisfied, high.success_status) == (True, "passed")
    unscored = sco_outcome(standard=SCORM_2004, sco=sco,
                           cmi=scorm2004_cmi(completion="completed", success="unknown"))
    assert not unscored.satisfied  # a pass mark is set: success must be reported


@pytest.mark.parametrize(("value", "seconds"), [
    ("00:03:10", 190), ("0001:00:00.50", 3600), ("PT1H2M3.5S", 3723), ("P1DT1S", 86401),
    ("PT", 0), ("", 0), ("soon", 0)])
def test_session_times_of_both_standards(value, seconds):
    assert duration_seconds(value) == seconds
