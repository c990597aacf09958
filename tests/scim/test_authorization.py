"""Who reaches /scim/v2/: every route answers a token with the scim scope, and refuses no token
(401), a token without the scope (403) and a signed-in administrator's session (401: cookies
never authenticate SCIM). The matrix rows (tests/authz_rows/scim.py) cover the portal's roles."""
import pytest

from accounts.models import AccessToken
from accounts.tokens import access_token_revoke, service_token_create

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


@pytest.fixture
def provisioned(scim):
    user = scim("post", "Users", {
        "schemas": [CORE_USER], "userName": "olu.ade@hospital.example", "active": True,
        "emails": [{"value": "olu.ade@hospital.example", "primary": True}]})
    group = scim("post", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                    "displayName": "Oncology Infusion Center"})
    return {"user": user.body["id"], "group": group.body["id"]}


ROUTES = [
    ("get", "ServiceProviderConfig", 200), ("get", "Schemas", 200),
    ("get", f"Schemas/{CORE_USER}", 200), ("get", "ResourceTypes", 200),
    ("get", "ResourceTypes/Group", 200), ("post", ".search", 501), ("get", "Users", 200),
    ("get", "Users/{user}", 200), ("get", "Groups", 200), ("get", "Groups/{group}", 200),
    ("get", "Me", 404),
]


@pytest.mark.django_db
def test_each_scim_route_answers_the_scim_token_and_refuses_everyone_else(
        client, scim, provisioned, admin_user):
    reports_only = service_token_create(actor=admin_user, name="HR feed",
                                        scopes=[AccessToken.Scope.REPORTS]).secret
    for method, path, expected in ROUTES:
        url = "/scim/v2/" + path.format(**provisioned)
        good = scim(method, url.removeprefix("/scim/v2/"), {} if method == "post" else None)
        assert good.status_code == expected, (path, good.body)
        assert good["Content-Type"] == "application/scim+json"
        client.logout()
        assert getattr(client, method)(url).status_code == 401, path
        wrong = getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {reports_only}")
        assert wrong.status_code == 403 and "scim" in wrong.json()["detail"], path
        client.force_login(admin_user)
        assert getattr(client, method)(url).status_code == 401, path


@pytest.mark.django_db
def test_a_revoked_scim_token_stops_at_once(scim, admin_user):
    assert scim("get", "Users").status_code == 200
    access_token_revoke(token=AccessToken.objects.get(kind="service"), actor=admin_user)
    refused = scim("get", "Users")
    assert refused.status_code == 401 and refused.body["status"] == "401"
    assert refused["WWW-Authenticate"] == 'Bearer realm="scim"'

