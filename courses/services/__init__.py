"""Every write to courses lives here, one module per concern (publishing, enrolment, search)."""
