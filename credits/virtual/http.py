"""The JSON-over-HTTPS transport the Zoom and Graph clients share: answers mapped to
ProviderError (for good) or ProviderUnavailable (429, 5xx, timeouts: retried, after the
service's Retry-After), an OAuth token kept in the cache until a minute before it expires, and
one renewal of a token the service no longer accepts."""
import json
import urllib.error
import urllib.request
from collections.abc import Callable

from django.core.cache import cache

from credits.virtual.errors import ProviderError, ProviderUnavailable


def check_urls(*urls: str) -> None:
    if not all(url.startswith(("https://", "http://")) for url in urls):
        raise ValueError("Zoom and Graph URLs in the settings must be http(s) URLs.")


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    try:
        return max(float(error.headers.get("Retry-After", "")), 1.0)
    except ValueError:
        return None


def open_json(request: urllib.request.Request, *, service: str, timeout: float) -> dict:
    """Send the request (its URL's scheme checked by check_urls) and read the JSON answer."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace")
        message = f"{service} answered {error.code}: {detail}"
        if error.code == 429 or error.code >= 500:
            raise ProviderUnavailable(message, status=error.code,
                                      retry_after=_retry_after(error)) from error
        raise ProviderError(message, status=error.code) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise ProviderUnavailable(f"{service} could not be reached: {error}") from error
    return json.loads(body or b"{}")


def cached_token(cache_key: str, fetch: Callable[[], dict], *, renew: bool) -> str:
    """An OAuth access token: from the cache, or fetched (`{access_token, expires_in}`) and kept
    until a minute before it expires, so it never lapses between two calls of one pull."""
    token = None if renew else cache.get(cache_key)
    if token:
        return token
    answer = fetch()
    token = answer["access_token"]
    cache.set(cache_key, token, max(int(answer.get("expires_in", 3600)) - 60, 60))
    return token


def with_token_renewal(send: Callable[[bool], dict]) -> dict:
    """`send(renew)` once with the cached token and, if the service answers 401 (expired or
    revoked), once more with a new one."""
    try:
        return send(False)
    except ProviderError as error:
        if error.status != 401:
            raise
    return send(True)
