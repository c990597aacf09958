"""The cmi5 player, the one-time fetch URL and the xAPI endpoint AUs report to."""
from django.urls import path

from . import views, xapi

app_name = "cmi5"

urlpatterns = [
    path("courses/<slug:slug>/au/<int:au_number>/", views.player, name="player"),
    path("cmi5/fetch/<str:key>/", xapi.fetch, name="fetch"),
    path("cmi5/xapi/statements", xapi.statements, name="statements"),
    path("cmi5/xapi/activities/state", xapi.activity_state, name="state"),
    path("cmi5/xapi/agents/profile", xapi.agent_profile, name="agent_profile"),
]
