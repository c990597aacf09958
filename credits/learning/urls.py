"""My learning."""
from django.urls import path

from credits.learning import offline, views

app_name = "learning"

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
    path("learning/offline-pages/", offline.offline_pages, name="offline_pages"),
]
