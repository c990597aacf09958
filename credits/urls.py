"""Clinician and educator URLs for evaluation, claims, external credits and transcripts."""
from django.urls import path

from . import views

app_name = "credits"

urlpatterns = [
    path("courses/<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("courses/<slug:slug>/claim/", views.claim, name="claim"),
    path("educator/courses/<int:course_id>/evaluation/results/", views.evaluation_results,
         name="evaluation_results"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript/transcript.pdf", views.transcript_pdf_download, name="transcript_pdf"),
    path("transcript/transcript.csv", views.transcript_csv_download, name="transcript_csv"),
    path("transcript/external/new/", views.external_new, name="external_new"),
    path("transcript/external/<int:pk>/certificate/", views.external_certificate,
         name="external_certificate"),
]
