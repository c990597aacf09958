"""The meeting page of a session, the learner's join link and Zoom's webhook."""
from django.urls import path

from credits.virtual import views

app_name = "virtual"

urlpatterns = [
    path("educator/sessions/<int:session_id>/meeting/", views.meeting, name="meeting"),
    path("educator/sessions/<int:session_id>/meeting/pull/", views.meeting_pull, name="pull"),
    path("educator/sessions/<int:session_id>/meeting/review/<int:unmatched_id>/link/",
         views.unmatched_link, name="unmatched_link"),
    path("educator/sessions/<int:session_id>/meeting/review/<int:unmatched_id>/dismiss/",
         views.unmatched_dismiss, name="unmatched_dismiss"),
    path("sessions/<int:session_id>/join/", views.join, name="join"),
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
    path("profile/phone/", views.phone, name="phone"),
    path("webhooks/sms/", views.sms_webhook, name="sms_webhook"),
]
