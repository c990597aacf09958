"""A real OpenID Connect provider for the SSO tests: node-oidc-provider run by idp/idp.js
(this module is a pytest plugin, loaded by tests/conftest.py).

`start_idp(redirect_uris)` starts it on a free port and returns its issuer; `sso_provider`
points the portal's settings at it. `sign_in_at_idp` walks the authorization-code flow with
Django's test client on the portal side and `requests` on the provider side, the way a browser
would, and can tamper with each leg.
"""
import json
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
import requests

IDP_DIR = Path(__file__).parent / "idp"
CLIENT_ID = "cpd-portal"
CLIENT_SECRET = "a-test-only-client-secret-of-sufficient-length"
PASSWORD = "hospital-pass-2026"

# The hospital's directory: usernames, the claims the provider releases, and the factors each
# sign-in used (amr).
ACCOUNTS = {
    "jordan": {"email": "jordan.ellis@hospital.org", "email_verified": True,
               "name": "Jordan Ellis", "groups": ["ICU Nursing"], "amr": ["pwd"]},
    "marcus": {"email": "marcus.lee@hospital.org", "email_verified": True,
               "name": "Marcus Lee", "groups": ["CPD-Educators", "Nursing Education"],
               "amr": ["pwd", "mfa"]},
    "dana": {"email": "dana.whitfield@hospital.org", "email_verified": True,
             "name": "Dana Whitfield", "groups": ["CPD-Office"], "amr": ["pwd"]},
    "dana-acr": {"email": "dana.whitfield@hospital.org", "email_verified": True,
                 "name": "Dana Whitfield", "groups": ["CPD-Office"], "amr": ["pwd"],
                 "acr": "urn:hospital:loa:mfa"},
    "unverified": {"email": "new.starter@hospital.org", "email_verified": False,
                   "name": "New Starter", "groups": [], "amr": ["pwd"]},
}
for _account in ACCOUNTS.values():
    _account["password"] = PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def start_idp(tmp_path_factory):
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("tests/accounts/sso/idp/node_modules is missing: run `make test` "
                    "(it runs npm ci there)")
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs npm (see .ci/run)")
    processes = []

    def start(redirect_uris: list[str]) -> "Idp":
        port = free_port()
        env = {**os.environ, "IDP_PORT": str(port), "IDP_ACCOUNTS": json.dumps(ACCOUNTS),
               "IDP_CLIENTS": json.dumps([{
                   "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "redirect_uris": redirect_uris,
                   "token_endpoint_auth_method": "client_secret_post"}])}
        log = tmp_path_factory.mktemp("idp") / "idp.log"
        process = subprocess.Popen([node, "idp.js"], cwd=IDP_DIR, env=env,
                                   stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
        processes.append(process)
        line = process.stdout.readline()
        if not line.startswith("ready"):
            process.kill()
            pytest.fail(f"the test IdP did not start: {line!r} {log.read_text()}")
        return Idp(issuer=f"http://127.0.0.1:{port}", process=process)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Idp:
    issuer: str
    process: subprocess.Popen

    def set_mode(self, **mode) -> None:
        requests.post(f"{self.issuer}/__test__/mode", data=json.dumps(mode),
                      timeout=5).raise_for_status()


def sso_app(issuer: str, **settings_overrides) -> dict:
    return {
        "provider_id": "hospital",
        "name": "Hospital SSO",
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "settings": {
            "server_url": issuer, "oauth_pkce_enabled": True, "fetch_userinfo": True,
            "scope": ["openid", "email", "profile", "groups"],
            "groups_claim": "groups",
            "educator_groups": ["CPD-Educators"],
            "administrator_groups": ["CPD-Office"],
            "mfa_acr_values": ["urn:hospital:loa:mfa"],
            **settings_overrides,
        },
    }


def use_sso_app(settings, app: dict) -> None:
    settings.SSO_APPS = [app]
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {
        **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"], "APPS": [app]}}


@pytest.fixture(scope="session")
def idp(start_idp):
    # Django's test client talks to the portal as http://testserver.
    idp = start_idp(["http://testserver/accounts/oidc/hospital/login/callback/"])
    yield idp


@pytest.fixture
def sso_provider(settings, idp):
    idp.set_mode(clockOffsetSeconds=0, foreignJwks=False)
    use_sso_app(settings, sso_app(idp.issuer))
    yield idp
    idp.set_mode(clockOffsetSeconds=0, foreignJwks=False)


def _with_query(url: str, **changes) -> str:
    parts = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunparse(parts._replace(query=urlencode(query)))


def sign_in_at_idp(client, username: str, *, authorize_changes=None, callback_changes=None,
                   before_callback=None):
    """Start SSO at the portal, sign in at the provider, return the portal's callback response."""
    start = client.post("/accounts/oidc/hospital/login/")
    assert start.status_code == 302, start.content.decode()[:500]
    authorize_url = start.url
    if authorize_changes:
        authorize_url = _with_query(authorize_url, **authorize_changes)
    browser = requests.Session()
    login_page = browser.get(authorize_url, timeout=10)
    assert "Hospital sign-in" in login_page.text, login_page.text[:500]
    action = login_page.url.rstrip("/") + "/login"
    response = browser.post(action, data={"login": username, "password": PASSWORD},
                            allow_redirects=False, timeout=10)
    # The provider resumes the authorization and redirects back to the portal's callback.
    while response.status_code in (302, 303) and not response.headers["location"].startswith(
            "http://testserver/"):
        response = browser.get(requests.compat.urljoin(response.url, response.headers["location"]),
                               allow_redirects=False, timeout=10)
    callback = response.headers["location"]
    assert callback.startswith("http://testserver/accounts/oidc/hospital/login/callback/"), callback
    if callback_changes:
        callback = _with_query(callback, **callback_changes)
    if before_callback:
        before_callback()
    return client.get(callback.removeprefix("http://testserver"))
