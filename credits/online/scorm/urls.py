"""The SCORM player, its commit endpoint and the package's sandboxed files."""
from django.urls import path

from . import views

app_name = "scorm"

urlpatterns = [
    path("courses/<slug:slug>/package/<int:sco_number>/", views.player, name="player"),
    path("courses/<slug:slug>/package/attempts/<int:attempt_id>/commit/", views.commit,
         name="commit"),
    path("educator/courses/<int:course_id>/package-results/", views.results, name="results"),
    path("educator/courses/<int:course_id>/package-results/attempts/<int:attempt_id>/",
         views.attempt_detail, name="attempt"),
    path("package-content/<str:token>/<path:path>", views.content, name="content"),
]
