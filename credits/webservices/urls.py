"""Web-service reporting for the CME office: /board-reporting/web-services/ (administrators)."""
from django.urls import path

from credits.webservices import views

app_name = "webservices"

urlpatterns = [
    path("board-reporting/web-services/", views.status, name="status"),
    path("board-reporting/web-services/<int:submission_id>/resubmit/", views.resubmit,
         name="resubmit"),
]
