"""Educator and review URLs, all under /educator/ or /review/ (behind the staff MFA gate)."""
from django.urls import path

from . import educator_views

app_name = "educator"

urlpatterns = [
    path("educator/", educator_views.my_courses, name="my_courses"),
]
