"""One view that returns a fixed page, for bench.catalog's baseline."""
from django.http import HttpResponse
from django.urls import include, path, re_path

BODY = b"<!DOCTYPE html><html><head><title>bare</title></head><body><p>ok</p></body></html>"


def bare(request):
    return HttpResponse(BODY)


# The bare view answers every path. The portal's URLconf follows it only so that the portal's
# middleware can reverse the names it needs (the sign-out URL, ...); no request reaches it.
urlpatterns = [re_path(r"^.*$", bare), path("", include("cpd_portal.urls"))]
