"""Course directors' question bank and post-test settings, under /educator/."""
from django.urls import path

from . import views

app_name = "questions"

COURSE = "educator/courses/<int:pk>/post-test/"

urlpatterns = [
    path(COURSE, views.question_bank, name="bank"),
    path(COURSE + "questions/new/", views.question_edit, name="create"),
    path(COURSE + "questions/<int:question_pk>/", views.question_edit, name="edit"),
    path(COURSE + "questions/<int:question_pk>/retire/", views.question_retire, name="retire"),
]
