"""allauth's OpenID Connect provider, held to the ID-token checks the portal relies on.

allauth skips the ID token's signature when it fetched the token itself over TLS (OpenID Connect
Core 3.1.3.7 allows it) and sends no nonce. The portal trusts the token's `amr`/`acr` to skip
its own TOTP step and its groups to grant staff roles, so it verifies the signature against the
provider's published keys every time and binds each sign-in to a nonce kept with allauth's
state (checked in `adapter.SsoAccountAdapter.pre_social_login`). Installed through
SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"], so apps and URL names stay allauth's.
"""
import secrets

import requests
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter


class VerifyingOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class HospitalOpenIDConnectProvider(OpenIDConnectProvider):
    oauth2_adapter_class = VerifyingOpenIDConnectAdapter
    # allauth finds a provider's URLs by its package: accounts/sso/urls.py, openid_connect's
    # paths and names with views that build this provider's adapter.
    package = "accounts.sso"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        try:
            # The nonce travels in allauth's server-side state, never in the browser.
            return super().redirect(request, process, next_url, data,
                                    auth_params=auth_params, nonce=nonce, **kwargs)
        except requests.RequestException as exc:
            # The provider's discovery document could not be fetched: it is down or unreachable.
            return render_authentication_error(request, self, exception=exc)


