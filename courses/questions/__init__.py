"""Question banks of activities and the settings of an enduring activity's post-test.

A Question belongs to an activity, not to a test, so drills (issue 13) can reuse it.
"""
