"""Assigned learning: the CME office assigns a published online activity to a group of
learners with a due date (and optionally an annual recurrence); membership is kept per learner
so that My learning, the reminders and the dashboard read one row each."""
