from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, views
from .api import api

# The admin signs in through allauth so that staff pass the same MFA step as everywhere else.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("accounts.token_urls")),
    path("", include("accounts.pwa.urls")),
    path("", include("courses.urls")),
    path("", include("courses.educator_urls")),
    path("", include("courses.lessons.urls")),
    path("", include("courses.packages.urls")),
    path("", include("courses.questions.urls")),
    path("", include("courses.disclosures.urls")),
    path("", include("credits.evaluations.urls")),
    path("", include("credits.ledger.urls")),
    path("", include("credits.learning.urls")),
    path("", include("credits.online.urls")),
    path("", include("credits.online.scorm.urls")),
    path("", include("credits.online.cmi5.urls")),
    path("", include("credits.drills.urls")),
    path("", include("credits.attendance.urls")),
    path("", include("credits.virtual.urls")),
    path("", include("credits.series.urls")),
    path("", include("credits.requirements.urls")),
    path("", include("credits.certificates.urls")),
    path("", include("credits.assignments.urls")),
    path("", include("credits.reports.urls")),
    path("", include("credits.boards.urls")),
    path("", include("credits.webservices.urls")),
    path("", include("credits.checklists.urls")),
    path("", include("credits.pathways.urls")),
    path("", include("credits.suggestions.urls")),
    path("api/v1/", api.urls),
    path("scim/v2/", include("cpd_portal.scim.urls")),
]

handler500 = "cpd_portal.views.server_error"
