"""Response headers beyond Django's own: the Content-Security-Policy (django-csp, with the
identity providers' origins added to form-action) and a Permissions-Policy."""
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def identity_provider_origins() -> list[str]:
    """The origins of the configured OpenID Connect providers. Chromium applies form-action to
    the redirects that follow a form post, and "Sign in with ..." posts to the portal, which
    redirects to the provider's authorization endpoint (assumed on the issuer's origin)."""
    origins = []
    for app in settings.SSO_APPS:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origins = identity_provider_origins()
        if origins:
            parts.update = {**(parts.update or {}),
                            "form-action": [*(parts.update or {}).get("form-action", []),
                                            *origins]}
        return parts


class PermissionsPolicyMiddleware:
    """Switch off the browser features the portal never uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
