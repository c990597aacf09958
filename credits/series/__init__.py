"""Regularly scheduled series (grand rounds, tumour boards, M&M): the coordinator of a series,
what each upcoming session still lacks a few business days ahead and the reminders about it,
learners' late-claim requests for a missed check-in, and copying a series forward a year."""
