"""Clinician-facing course URLs: catalog, course pages, enrolment, calendars, My learning."""
from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
]
