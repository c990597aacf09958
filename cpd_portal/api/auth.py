"""Bearer-token authentication, scopes and per-token rate limits for the JSON API.

Only access tokens authenticate the API: a browser's session cookie is ignored, so no page can
be made to call the API on a signed-in clinician's behalf.
"""
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import AccessToken
from accounts.tokens import access_token_authenticate
from cpd_portal import replica


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def rate_limit(key: str) -> None:
    """API_RATE_PER_MINUTE calls per key and clock minute (the degrading default cache keeps
    counting per process while Redis is down), then 429."""
    minute = int(timezone.now().timestamp() // 60)
    cache_key = f"api-rate:{key}:{minute}"
    cache.add(cache_key, 0, timeout=90)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        count = 1
    if count > settings.API_RATE_PER_MINUTE:
        raise ApiError(429, f"Too many requests: at most {settings.API_RATE_PER_MINUTE} a "
                            "minute per token. Wait a minute and try again.",
                       {"Retry-After": str(60 - int(timezone.now().timestamp()) % 60)})


class TokenAuth(HttpBearer):
    """A valid, unexpired, unrevoked token holding `scope` (401 without one, 403 without the
    scope), counted against its rate limit."""

    openapi_scheme = "bearer"

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        token = super().__call__(request)
        if token is None:
            raise ApiError(401, "Send a valid access token: 'Authorization: Bearer <token>'. "
                                "Create one on your profile page; a revoked or expired token "
                                "no longer works.")
        return token

    def authenticate(self, request, token: str) -> AccessToken | None:
        access_token = access_token_authenticate(secret=token)
        if access_token is None:
            return None
        rate_limit(f"token:{access_token.pk}")
        if self.scope not in access_token.scopes:
            label = AccessToken.Scope(self.scope).label
            raise ApiError(403, f"This token does not have the '{self.scope}' scope "
                                f"({label}). Create a token with that scope.")
        replica.token_acting(token_id=access_token.pk, user_id=access_token.user_id)
        return access_token


def anonymous_rate_limit(request) -> None:
    rate_limit(f"address:{request.META.get('REMOTE_ADDR', 'unknown')}")
