"""One view that returns a fixed page, for bench.catalog's baseline."""
from django.http import HttpResponse
from django.urls import re_path

BODY = b"<!DOCTYPE html><html><head><title>bare</title></head><body><p>ok</p></body></html>"


def bare(request):
    return HttpResponse(BODY)


urlpatterns = [re_path(r"^.*$", bare)]
