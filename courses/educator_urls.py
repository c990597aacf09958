"""Educator and review URLs, all under /educator/ or /review/ (behind the staff MFA gate)."""
from django.urls import path

from . import educator_views as views

app_name = "educator"

COURSE = "educator/courses/<int:pk>/"

urlpatterns = [
    path("educator/", views.my_courses, name="my_courses"),
    path("educator/courses/new/", views.course_create, name="course_create"),
    path(COURSE, views.course_overview, name="course_overview"),
    path(COURSE + "edit/", views.course_edit, name="course_edit"),
    path(COURSE + "submit/", views.course_submit, name="course_submit"),
    path(COURSE + "sessions/new/", views.session_create, name="session_create"),
    path(COURSE + "sessions/series/", views.session_series_create, name="session_series_create"),
    path(COURSE + "sessions/<int:session_pk>/", views.session_edit, name="session_edit"),
    path(COURSE + "sessions/<int:session_pk>/cancel/", views.session_cancel,
         name="session_cancel"),
    path(COURSE + "faculty/new/", views.faculty_add, name="faculty_add"),
    path(COURSE + "designations/new/", views.designation_edit, name="designation_create"),
    path(COURSE + "designations/<int:designation_pk>/", views.designation_edit,
         name="designation_edit"),
    path(COURSE + "designations/<int:designation_pk>/delete/", views.designation_delete,
         name="designation_delete"),
    path(COURSE + "disclosures/new/", views.disclosure_edit, name="disclosure_create"),
    path(COURSE + "disclosures/<int:disclosure_pk>/", views.disclosure_edit,
         name="disclosure_edit"),
    path(COURSE + "disclosures/<int:disclosure_pk>/delete/", views.disclosure_delete,
         name="disclosure_delete"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_course, name="review_course"),
    path("review/<int:pk>/publish/", views.review_publish, name="review_publish"),
    path("review/<int:pk>/return/", views.review_return, name="review_return"),
    path("review/<int:pk>/archive/", views.review_archive, name="review_archive"),
]
