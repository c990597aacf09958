"""Whether a drill is required training for a learner: a hook for the layers above.

Assigned learning (credits.assignments) registers a checker from its AppConfig.ready; without
one, no drill is required. A required drill's email says so and cannot be switched off.
"""
from collections.abc import Callable, Iterable

# fn(*, course_id, user_ids) -> the ids among user_ids for whom the drill is required.
RequiredChecker = Callable[..., set[int]]
_CHECKERS: list[RequiredChecker] = []


def drill_required_checker_register(fn: RequiredChecker) -> None:
    if fn not in _CHECKERS:
        _CHECKERS.append(fn)


def drill_required_for(*, course_id: int, user_ids: Iterable[int]) -> set[int]:
    """The learners among `user_ids` for whom the drill is required (any checker says so)."""
    user_ids = list(user_ids)
    required: set[int] = set()
    for checker in _CHECKERS:
        required |= set(checker(course_id=course_id, user_ids=user_ids))
    return required
