"""Just in time, "Next for you": up to five activities for a learner, each with its reason in
words (a licence shortfall with its deadline, a pathway's next step, a drill question answered
wrong twice, a new activity in their specialty), computed by rules in one pass; dismissible; a
weekly digest by email."""
