"""Headers that keep private pages out of caches: staff pages are never stored anywhere (the
service worker also skips them, by the same prefixes), and the sign-out response tells the
browser to drop what this site cached and stored (pages kept for offline reading, the queue of
actions not sent yet), so the next person on a shared phone sees none of it."""
from django.conf import settings
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class PrivatePagesCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.logout_path = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STAFF_URL_PREFIXES):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        if self.logout_path is None:
            self.logout_path = reverse("account_logout")
        if request.method == "POST" and request.path == self.logout_path:
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
