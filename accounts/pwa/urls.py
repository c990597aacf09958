from django.urls import path

from . import views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/saved/", views.offline, {"saved": True}, name="saved"),
    path("accounts/push/subscriptions/", views.push_subscribe, name="push_subscribe"),
    path("accounts/push/stop/", views.push_stop, name="push_stop"),
]
