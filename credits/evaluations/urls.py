"""The evaluation form (clinicians) and its results (course directors, under /educator/)."""
from django.urls import path

from credits.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("courses/<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("educator/courses/<int:course_id>/evaluation/results/", views.evaluation_results,
         name="evaluation_results"),
]
