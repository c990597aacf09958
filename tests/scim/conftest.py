"""A SCIM client as an identity provider is one: a service token with the scim scope, JSON in
and out (application/scim+json)."""
import json

import pytest

from accounts.models import AccessToken
from accounts.tokens import service_token_create


class ScimClient:
    def __init__(self, client, secret: str):
        self.client, self.secret = client, secret

    def __call__(self, method: str, path: str, body: dict | None = None, **params):
        url = "/scim/v2/" + path.lstrip("/")
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"}
        if method == "get":
            response = self.client.get(url, params, **extra)
        else:
            response = getattr(self.client, method)(
                url, json.dumps(body) if body is not None else "",
                content_type="application/scim+json", **extra)
        response.body = json.loads(response.content) if response.content else None
        return response


@pytest.fixture
def scim_secret(admin_user):
    return service_token_create(actor=admin_user, name="Entra ID provisioning",
                                scopes=[AccessToken.Scope.SCIM]).secret


@pytest.fixture
def scim(client, scim_secret):
    return ScimClient(client, scim_secret)
