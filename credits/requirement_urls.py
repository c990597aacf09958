"""Licence requirement progress."""
from django.urls import path

from . import requirement_views

app_name = "requirements"

urlpatterns = [
    path("requirements/", requirement_views.requirement_progress, name="progress"),
]
