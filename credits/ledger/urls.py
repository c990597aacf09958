"""Clinician URLs for claims, external credits and the transcript."""
from django.urls import path

from credits.ledger import views

app_name = "ledger"

urlpatterns = [
    path("courses/<slug:slug>/claim/", views.claim, name="claim"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript/transcript.pdf", views.transcript_pdf_download, name="transcript_pdf"),
    path("transcript/external/new/", views.external_new, name="external_new"),
    path("transcript/external/<int:pk>/certificate/", views.external_certificate,
         name="external_certificate"),
]
