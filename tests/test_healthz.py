"""/healthz reports database, broker and cache: "degraded" and 503 within 5 s if Redis is down."""
import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse

from cpd_portal.celery import app as celery_app
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis_broker(tmp_path):
    """A redis-server this test owns on a spare port, used as the Celery broker."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()

    def start():
        return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                                stdout=subprocess.DEVNULL)

    server = {"process": start(), "start": start, "port": port}
    wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"],
                                    capture_output=True).returncode == 0)
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    yield server
    celery_app.conf.broker_url = original
    server["process"].terminate()
    server["process"].wait()


def test_healthz_is_ok_when_database_and_broker_answer_and_names_the_node(client, settings):
    settings.NODE_NAME = "web-2"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "node": "web-2", "database": "ok",
                               "broker": "ok", "cache": "ok"}


def test_healthz_answers_503_within_5_seconds_while_redis_is_down_and_200_once_it_is_back(
        client, own_redis_broker, settings):
    assert client.get(reverse("healthz")).status_code == 200

    own_redis_broker["process"].terminate()
    own_redis_broker["process"].wait()
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "node": settings.NODE_NAME, "database": "ok",
                               "broker": "unreachable", "cache": "ok"}
    assert elapsed < 5

    own_redis_broker["process"] = own_redis_broker["start"]()
    wait_for(lambda: client.get(reverse("healthz")).status_code == 200, timeout=10)
