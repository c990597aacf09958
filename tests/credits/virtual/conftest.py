"""The local stand-ins for Zoom's API and Microsoft Graph, with the portal configured to use
them (shared by the Zoom, Teams and hybrid tests)."""
import pytest

from tests.credits.virtual import graph_server, zoom_server

ZOOM_MEETING = "84512345678"
TEAMS_MEETING = "MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZlNC1mNjNlNWQ0ZDBkMGI"


@pytest.fixture
def zoom(settings):
    with zoom_server.ZoomStandIn() as server:
        settings.ZOOM_API_URL = f"{server.url}/v2"
        settings.ZOOM_OAUTH_URL = f"{server.url}/oauth/token"
        settings.ZOOM_ACCOUNT_ID = zoom_server.ACCOUNT_ID
        settings.ZOOM_CLIENT_ID = zoom_server.CLIENT_ID
        settings.ZOOM_CLIENT_SECRET = zoom_server.CLIENT_SECRET
        settings.ZOOM_WEBHOOK_SECRET_TOKEN = zoom_server.WEBHOOK_SECRET
        settings.VIRTUAL_TIMEOUT_SECONDS = 2
        server.meeting_add(ZOOM_MEETING)
        yield server


@pytest.fixture
def graph(settings):
    with graph_server.GraphStandIn() as server:
        settings.GRAPH_API_URL = f"{server.url}/v1.0"
        settings.GRAPH_LOGIN_URL = server.url
        settings.GRAPH_TENANT_ID = graph_server.TENANT_ID
        settings.GRAPH_CLIENT_ID = graph_server.CLIENT_ID
        settings.GRAPH_CLIENT_SECRET = graph_server.CLIENT_SECRET
        settings.VIRTUAL_TIMEOUT_SECONDS = 2
        server.meeting_add(TEAMS_MEETING)
        yield server
