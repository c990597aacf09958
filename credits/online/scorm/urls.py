"""The SCORM player, its commit endpoint and the package's sandboxed files."""
from django.urls import path

from . import views

app_name = "scorm"

urlpatterns = [
    path("courses/<slug:slug>/package/<int:sco_number>/", views.player, name="player"),
    path("courses/<slug:slug>/package/attempts/<int:attempt_id>/commit/", views.commit,
         name="commit"),
    path("package-content/<str:token>/<path:path>", views.content, name="content"),
]
