"""Board reporting for the CME office: /board-reporting/ (administrators only)."""
from django.urls import path

from credits.boards import views

app_name = "boards"

urlpatterns = [
    path("board-reporting/", views.dashboard, name="dashboard"),
    path("board-reporting/<int:report_id>/resubmit/", views.resubmit, name="resubmit"),
]
