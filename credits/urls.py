"""Clinician and educator URLs for attendance, evaluation, claims and transcripts."""
app_name = "credits"

urlpatterns: list = []
