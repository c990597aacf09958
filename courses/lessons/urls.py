"""Course directors' lesson pages, under /educator/ (behind the staff MFA gate)."""
from django.urls import path

from . import views

app_name = "lessons"

COURSE = "educator/courses/<int:pk>/lessons/"

urlpatterns = [
    path(COURSE, views.lesson_list, name="list"),
    path(COURSE + "new/", views.lesson_edit, name="create"),
    path(COURSE + "<int:lesson_pk>/", views.lesson_edit, name="edit"),
    path(COURSE + "<int:lesson_pk>/move/", views.lesson_move, name="move"),
    path(COURSE + "<int:lesson_pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(COURSE + "<int:lesson_pk>/preview/", views.lesson_preview, name="preview"),
]
