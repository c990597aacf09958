"""With Redis killed under a running web server, no URL of the authorization matrix answers 5xx.

The test owns a redis-server on a spare port as cache and broker, walks every matrix URL over
HTTP against a live server, kills Redis, walks them again, checks that the login rate limit
still holds (per process) and that /healthz says "degraded", then restarts Redis and sees the
cache and broker in use again.

Each URL is walked as anonymous and as one signed-in role for each outcome the matrix expects
of the signed-in roles (which of them takes turns from URL to URL), so every path through
the code the matrix tells apart is requested; FULL_FUZZ=1 walks every URL as every role.
"""
import logging
import re
import shutil
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.cache import caches
from django.urls import reverse

from cpd_portal.celery import app as celery_app
from tests.authz_rows import ROLES, app_routes, matrix, url_for
from tests.conftest import FULL_FUZZ, start_redis_server, wait_for
from tests.test_authorization_matrix import world_build

APP_ROUTES = app_routes()
MATRIX = matrix()

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path, settings):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def start():
        return start_redis_server(port, tmp_path)

    server = {"process": start(), "url": url}

    def kill():
        server["process"].kill()
        server["process"].wait()

    server["kill"] = kill
    server["restart"] = lambda: server.update(process=start())
    cache = {"BACKEND": "cpd_portal.cache.DegradingRedisCache", "LOCATION": url,
             "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    settings.CACHES = {"default": {**cache, "KEY_PREFIX": "cpd", "FALLBACK": "local"},
                       "pages": {**cache, "KEY_PREFIX": "cpd-pages", "FALLBACK": "none"}}
    original_broker = celery_app.conf.broker_url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = url
    yield server
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = original_broker
    if server["process"].poll() is None:
        kill()


@pytest.fixture
def world(clinician, other_clinician, educator, admin_user):
    # Per test, not the matrix module's: that one lives in a transaction the live server's
    # thread cannot see.
    return world_build(clinician=clinician, other_clinician=other_clinician, educator=educator,
                       admin_user=admin_user)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(base, path, *, method="GET", cookie="", data=None):
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(base + path, method=method.upper(), data=data,
                                     headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


def _cookies_for(world, client):
    cookies = {}
    for role in ROLES:
        client.logout()
        if world[role] is None:
            cookies[role] = ""
        else:
            client.force_login(world[role])
            cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


def _roles_to_walk(turn: int, row) -> list[str]:
    if FULL_FUZZ:
        return list(ROLES)
    by_outcome = {}
    for role in ROLES[1:]:
        by_outcome.setdefault(repr(row.expect[role]), []).append(role)
    return [ROLES[0], *(roles[turn % len(roles)] for roles in by_outcome.values())]


WALK = [(route, role) for turn, route in enumerate(APP_ROUTES)
        for role in _roles_to_walk(turn, MATRIX[route])]


def _walk_matrix(base, world, cookies):
    statuses = []
    for route, role in WALK:
        row = MATRIX[route]
        status, _, _ = _request(base, url_for(route, row, world), method=row.method,
                                cookie=cookies[role], data=b"" if row.method == "post" else None)
        statuses.append((status, route, role))
    return statuses


def _failed_logins(base, attempts):
    status, body, headers = _request(base, "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie = "; ".join(c.split(";")[0] for c in headers.get_all("Set-Cookie"))
    answers = []
    for _ in range(attempts):
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": "no@example.org",
                                       "password": "wrong-password-1"}).encode()
        status, body, _ = _request(base, "/accounts/login/", method="POST", cookie=cookie,
                                   data=data)
        answers.append((status, "Too many failed login attempts" in body))
    return answers


def test_no_url_answers_5xx_for_any_role_while_redis_is_down(
        own_redis, live_server, world, client, caplog):
    base = live_server.url
    cookies = _cookies_for(world, client)
    assert all(status < 500 for status, *_ in _walk_matrix(base, world, cookies))

    own_redis["kill"]()
    with caplog.at_level(logging.WARNING, logger="cpd_portal.cache"):
        during = _walk_matrix(base, world, cookies)
        logins = _failed_logins(base, 12)
    # /healthz alone answers 503 on purpose: orchestration must notice the broker is gone.
    failures = [(status, route, role) for status, route, role in during
                if status >= 500 and route != "healthz"]
    print(f"outage: {len(APP_ROUTES)} URLs, {len(during)} requests, "
          f"{len(failures)} answered >= 500 (besides /healthz's 503)")
    assert failures == []
    assert {route for _, route, _ in during} == set(APP_ROUTES)
    assert {role for *_, role in during} == set(ROLES)
    # allauth's login_failed limit (5/5m per address) still holds, from the per-process
    # fallback: the form answers, then refuses further attempts.
    assert logins[:5] == [(200, False)] * 5 and logins[-1] == (200, True)
    assert "cache degraded" in caplog.text
    status, body, _ = _request(base, "/healthz")
    assert status == 503 and '"status": "degraded"' in body

    own_redis["restart"]()
    wait_for(lambda: _request(base, "/healthz")[0] == 200, timeout=20)
    _request(base, reverse("courses:catalog"))
    assert caches["pages"].ping() and not caches["pages"].degraded
