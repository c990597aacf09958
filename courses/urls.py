"""Clinician-facing course URLs: catalog, course pages, enrolment, calendars;
plus the course directors' enrolment list (under /educator/, behind the staff MFA gate)."""
from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalog, name="catalog"),
    path("courses/<slug:slug>/", views.course_detail, name="detail"),
    path("courses/<slug:slug>/enrol/", views.course_enrol, name="enrol"),
    path("courses/<slug:slug>/cancel/", views.course_cancel, name="cancel"),
    path("courses/<slug:slug>/calendar.ics", views.course_calendar, name="course_calendar"),
    path("learning/calendar/", views.calendar_settings, name="calendar_settings"),
    path("learning/calendar/regenerate/", views.calendar_regenerate,
         name="calendar_regenerate"),
    path("learning/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("educator/courses/<int:course_id>/enrolments/", views.course_enrolments,
         name="enrolments"),
    path("educator/courses/<int:course_id>/enrolments/<int:enrolment_id>/decide/",
         views.enrolment_decision, name="enrolment_decision"),
]
