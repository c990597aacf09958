"""The learner's path across activities: My learning, the next step, claim and licence
reminders."""
