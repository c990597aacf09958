"""Licence requirement progress."""
from django.urls import path

from credits.requirements import views as requirement_views

app_name = "requirements"

urlpatterns = [
    path("requirements/", requirement_views.requirement_progress, name="progress"),
]
