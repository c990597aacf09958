"""Course directors' package pages, under /educator/ (behind the staff MFA gate)."""
from django.urls import path

from . import views

app_name = "packages"

COURSE = "educator/courses/<int:pk>/packages/"

urlpatterns = [
    path(COURSE, views.package_list, name="list"),
    path(COURSE + "<int:version>/", views.package_detail, name="detail"),
    path(COURSE + "<int:version>/progress/", views.package_progress, name="progress"),
    path(COURSE + "<int:version>/publish/", views.package_publish, name="publish"),
]
