"""Practice drills: the drill page, joining, a delivered question, the emailed answer link."""
from django.urls import path

from . import views

app_name = "drills"

urlpatterns = [
    path("drills/answer/<str:token>/", views.answer_link, name="answer_link"),
    path("drills/today/", views.today, name="today"),
    path("drills/<slug:slug>/", views.drill, name="drill"),
    path("drills/<slug:slug>/join/", views.join, name="join"),
    path("drills/<slug:slug>/questions/<int:delivery_id>/", views.delivery, name="delivery"),
]
