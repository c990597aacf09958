"""The Leitner schedule and the retirement rule, on dates alone."""
import datetime

from credits.drills.spacing import CardState, is_delivery_moment, next_state

DAY = datetime.date(2026, 12, 7)
RULES = {"intervals": [4, 10, 21], "retire_after_correct": 2, "retire_min_days_apart": 7}


def _new():
    return CardState(due_on=DAY, correct_streak=0, last_correct_on=None, retired_on=None)


def _days(n):
    return datetime.timedelta(days=n)


def test_a_wrong_answer_comes_back_at_the_next_delivery():
    state = next_state(state=_new(), correct=False, answered_on=DAY, **RULES)
    assert state.due_on == DAY and state.correct_streak == 0 and state.retired_on is None


def test_right_answers_come_back_after_4_then_10_days_and_retire_a_week_apart():
    first = next_state(state=_new(), correct=True, answered_on=DAY, **RULES)
    assert first.due_on == DAY + _days(4) and first.retired_on is None
    # Right again 4 days later: twice in a row, but not a week apart, so not retired yet.
    second = next_state(state=first, correct=True, answered_on=DAY + _days(4), **RULES)
    assert second.retired_on is None and second.due_on == DAY + _days(14)
    third = next_state(state=second, correct=True, answered_on=DAY + _days(14), **RULES)
    assert third.retired_on == DAY + _days(14)


def test_a_wrong_answer_resets_the_streak():
    first = next_state(state=_new(), correct=True, answered_on=DAY, **RULES)
    wrong = next_state(state=first, correct=False, answered_on=DAY + _days(8), **RULES)
    again = next_state(state=wrong, correct=True, answered_on=DAY + _days(9), **RULES)
    assert again.correct_streak == 1 and again.retired_on is None
    assert again.due_on == DAY + _days(13)


def test_the_retirement_rule_is_configurable_per_drill():
    rules = {"intervals": [2], "retire_after_correct": 3, "retire_min_days_apart": 1}
    state = _new()
    for offset in (0, 2, 4):
        state = next_state(state=state, correct=True, answered_on=DAY + _days(offset), **rules)
    assert state.retired_on == DAY + _days(4)
    once = next_state(state=_new(), correct=True, answered_on=DAY, intervals=[4],
                      retire_after_correct=1, retire_min_days_apart=7)
    assert once.retired_on == DAY


def test_a_retired_question_stays_retired():
    retired = CardState(due_on=DAY, correct_streak=2, last_correct_on=DAY, retired_on=DAY)
    assert next_state(state=retired, correct=False, answered_on=DAY + _days(1), **RULES) == retired


def test_delivery_window_respects_quiet_hours_and_weekends():
    monday = datetime.datetime(2026, 12, 7, 7, 0)
    window = {"delivery_hour": 7, "quiet_hour": 20, "weekdays_only": True}
    assert is_delivery_moment(local=monday, **window)
    assert not is_delivery_moment(local=monday.replace(hour=6, minute=59), **window)
    assert not is_delivery_moment(local=monday.replace(hour=20), **window)
    saturday = monday + _days(5)
    assert not is_delivery_moment(local=saturday, **window)
    assert is_delivery_moment(local=saturday, **{**window, "weekdays_only": False})
