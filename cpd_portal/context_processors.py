"""Template context shared by every page."""
from django.conf import settings


def portal(request):
    return {"SITE_NAME": settings.SITE_NAME, "HOSPITAL_NAME": settings.HOSPITAL_NAME}
