"""The Leitner schedule and the retirement rule, as pure functions of dates (no clock).

Wrong: the question comes back at the next delivery (due today, so the next morning's scan
takes it). Right: it comes back after the next interval (4, then 10, then 21 days by default;
the last interval repeats). Retired: `retire_after_correct` right answers in a row, the last
two at least `retire_min_days_apart` days apart (default: twice, a week apart).
"""
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CardState:
    due_on: datetime.date
    correct_streak: int
    last_correct_on: datetime.date | None
    retired_on: datetime.date | None


def next_state(*, state: CardState, correct: bool, answered_on: datetime.date,
               intervals: list[int], retire_after_correct: int,
               retire_min_days_apart: int) -> CardState:
    """The card after an answer given on the learner's local day `answered_on`."""
    if state.retired_on is not None:
        return state
    if not correct:
        return CardState(due_on=answered_on, correct_streak=0,
                         last_correct_on=state.last_correct_on, retired_on=None)
    streak = state.correct_streak + 1
    spaced = (state.last_correct_on is None or streak == 1
              or (answered_on - state.last_correct_on).days >= retire_min_days_apart)
    if streak >= retire_after_correct and (retire_after_correct == 1 or spaced):
        return CardState(due_on=state.due_on, correct_streak=streak,
                         last_correct_on=answered_on, retired_on=answered_on)
    interval = intervals[min(streak, len(intervals)) - 1]
    return CardState(due_on=answered_on + datetime.timedelta(days=interval),
                     correct_streak=streak, last_correct_on=answered_on, retired_on=None)


def is_delivery_moment(*, local: datetime.datetime, delivery_hour: int, quiet_hour: int,
                       weekdays_only: bool) -> bool:
    """Whether a learner's local time is inside the drill's sending window."""
    if weekdays_only and local.weekday() >= 5:
        return False
    return delivery_hour <= local.hour < quiet_hour
