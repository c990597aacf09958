"""The moveOn rules of cmi5.xml (cmi5 spec 13.1.4) as a table."""
import pytest

from credits.online.cmi5.move_on import au_satisfied


@pytest.mark.parametrize(("move_on", "completed", "passed", "satisfied"), [
    ("Completed", False, False, False), ("Completed", True, False, True),
    ("Completed", False, True, False),
    ("Passed", True, False, False), ("Passed", False, True, True),
    ("CompletedAndPassed", True, False, False), ("CompletedAndPassed", False, True, False),
    ("CompletedAndPassed", True, True, True),
    ("CompletedOrPassed", False, False, False), ("CompletedOrPassed", True, False, True),
    ("CompletedOrPassed", False, True, True),
    ("NotApplicable", False, False, True),
])
def test_move_on(move_on, completed, passed, satisfied):
    assert au_satisfied(move_on=move_on, completed=completed, passed=passed) is satisfied
