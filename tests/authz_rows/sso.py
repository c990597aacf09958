"""Single sign-on: allauth's social-account pages and the OpenID Connect sign-in URLs."""
from tests.authz_rows import Row, everyone, signed_in

ROWS: dict[str, Row] = {
    "accounts/3rdparty/": Row(signed_in(200)),
    "accounts/3rdparty/login/cancelled/": Row(everyone(200)),
    # The sign-in-failed page answers 401 like allauth's own failure responses.
    "accounts/3rdparty/login/error/": Row(everyone(401)),
    # Only reachable with a pending sign-up from a provider; without one, back to sign-in.
    "accounts/3rdparty/signup/": Row(everyone("login")),
    # allauth's old "social/" addresses redirect permanently to the pages above.
    **{f"accounts/social/{page}": Row(everyone("redirect"))
       for page in ("connections/", "login/cancelled/", "login/error/", "signup/")},
    # The matrix runs without an identity provider configured: an unknown provider is 404 for
    # everyone. tests/accounts/sso/ signs in through a real one.
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": Row(
        everyone(404), kwargs=lambda w: {"provider_id": "hospital"}),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": Row(
        everyone(404), kwargs=lambda w: {"provider_id": "hospital"}),
}
