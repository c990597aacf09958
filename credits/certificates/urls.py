"""Certificate download, public verification and bulk regeneration URLs."""
from django.urls import path

from credits.certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<int:pk>/download/", views.certificate_download, name="download"),
    path("certificates/verify/", views.certificate_verify_form, name="verify_form"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="verify"),
    # Under /review/ so the staff MFA gate covers it.
    path("review/courses/<int:course_id>/certificates/", views.certificate_regeneration,
         name="regeneration"),
    path("review/courses/<int:course_id>/certificates/progress/",
         views.certificate_regeneration_progress, name="regeneration_progress"),
]
