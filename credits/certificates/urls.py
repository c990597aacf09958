"""Certificate download, public verification, bulk regeneration and Open Badges URLs."""
from django.urls import path

from credits.certificates import views
from credits.certificates.openbadges import views as badges

app_name = "certificates"

urlpatterns = [
    path("certificates/<int:pk>/download/", views.certificate_download, name="download"),
    path("certificates/<int:pk>/open-badge.jwt", badges.credential_download, {"form": "jwt"},
         name="credential_jwt"),
    path("certificates/<int:pk>/open-badge.json", badges.credential_download, {"form": "json"},
         name="credential_json"),
    path("certificates/verify/", views.certificate_verify_form, name="verify_form"),
    path("certificates/verify-credential/", badges.credential_verify_upload,
         name="credential_verify"),
    path("certificates/verify/<str:code>/open-badge.jwt", badges.credential_public_download,
         {"form": "jwt"}, name="verify_credential_jwt"),
    path("certificates/verify/<str:code>/open-badge.json", badges.credential_public_download,
         {"form": "json"}, name="verify_credential_json"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="verify"),
    # Under /review/ so the staff MFA gate covers it.
    path("review/courses/<int:course_id>/certificates/", views.certificate_regeneration,
         name="regeneration"),
    path("review/courses/<int:course_id>/certificates/progress/",
         views.certificate_regeneration_progress, name="regeneration_progress"),
    path("review/certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    # Open Badges 3.0: stable public URLs under SITE_URL that credentials name.
    path("credentials/issuer/", badges.credential_issuer, name="credential_issuer"),
    path("credentials/jwks.json", badges.credential_jwks, name="credential_jwks"),
    path("credentials/keys/<str:kid>/", badges.credential_key, name="credential_key"),
    path("credentials/status/<int:number>/", badges.credential_status_list,
         name="credential_status_list"),
    path("credentials/<uuid:uuid>/", badges.credential_by_id, name="credential_by_id"),
]
