"""When an AU counts as done: its moveOn criterion from cmi5.xml against the cmi5 defined
statements the registration holds (cmi5 spec 13.1.4, moveOn). A waived AU also counts (9.3.9),
though the portal issues no waivers yet."""

MOVE_ON_RULES = {
    "Completed": lambda completed, passed: completed,
    "Passed": lambda completed, passed: passed,
    "CompletedAndPassed": lambda completed, passed: completed and passed,
    "CompletedOrPassed": lambda completed, passed: completed or passed,
    "NotApplicable": lambda completed, passed: True,
}


def au_satisfied(*, move_on: str, completed: bool, passed: bool) -> bool:
    return MOVE_ON_RULES[move_on or "NotApplicable"](completed, passed)
