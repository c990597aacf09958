"""Next for you: dismiss a suggestion."""
from django.urls import path

from credits.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("learning/suggestions/<str:key>/dismiss/", views.suggestion_dismiss_view,
         name="dismiss"),
]
