"""The web app manifest, the service worker script and the pages the service worker shows
offline (the same for everyone: no personal data); turning push notifications on for a device
and stopping them all."""
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .services import push_subscription_save, push_subscriptions_stop

# Pages the service worker may keep for offline reading, by path prefix (the learner's own
# pages); anything else, and every staff page, goes to the network only.
OFFLINE_READABLE_PREFIXES = ("/learning/", "/courses/", "/drills/", "/checkin/", "/offline/")
# Form posts the service worker queues when the network is down: a drill answer, a check-in,
# a lesson read offline. Each view takes X-Recorded-At (accounts/pwa/recorded.py).
QUEUED_POST_PATTERNS = (r"^/drills/[-\w]+/questions/\d+/$", r"^/checkin/$",
                        r"^/checkin/[-\w]+/$", r"^/courses/[-\w]+/learn/\d+/read/$")


@require_GET
def manifest(request):
    icon = "img/app/icon-{}.png"
    return JsonResponse({
        "name": settings.SITE_NAME,
        "short_name": _("CPD"),
        "description": _("Continuing professional development"),
        "lang": request.LANGUAGE_CODE,
        "id": "/",
        "start_url": reverse("learning:my_learning") + "?source=installed",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f9",
        "theme_color": "#1a4f8b",
        "icons": [
            {"src": static(icon.format(192)), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static(icon.format(512)), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static(icon.format("maskable-192")), "sizes": "192x192",
             "type": "image/png", "purpose": "maskable"},
            {"src": static(icon.format("maskable-512")), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
        "shortcuts": [
            {"name": _("Check in"), "url": reverse("attendance:checkin"),
             "icons": [{"src": static(icon.format(192)), "sizes": "192x192"}]},
            {"name": _("Today's drill"), "url": reverse("drills:today"),
             "icons": [{"src": static(icon.format(192)), "sizes": "192x192"}]},
        ],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def service_worker(request):
    """At the site's root, so its scope covers every page without Service-Worker-Allowed.
    Browsers check for a new version on navigation; no-cache makes every check reach here."""
    config = {
        "readablePrefixes": OFFLINE_READABLE_PREFIXES,
        "staffPrefixes": settings.STAFF_URL_PREFIXES,
        "queuedPostPatterns": QUEUED_POST_PATTERNS,
        "offlinePagesUrl": reverse("learning:offline_pages"),
        "savedUrl": reverse("pwa:saved"),
        "unsavedUrl": reverse("pwa:offline"),
        "icon": static("img/app/icon-192.png"),
    }
    response = render(request, "accounts/pwa/sw.js", {"config": json.dumps(config)},
                      content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request, saved: bool = False):
    """What the service worker shows offline: in place of the page a form post leads to (the
    action is saved to send later), or of a page it has no copy of."""
    return render(request, "accounts/pwa/offline.html", {"saved": saved})


@login_required
@require_POST
def push_subscribe(request):
    """The JSON of the browser's PushSubscription (static/js/push.js), for the signed-in person."""
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        push_subscription_save(user=request.user, endpoint=str(data.get("endpoint", "")),
                               p256dh=str(keys.get("p256dh", "")), auth=str(keys.get("auth", "")))
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("The browser sent no subscription.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_stop(request):
    """One click: no more notifications to any of the person's devices."""
    push_subscriptions_stop(user=request.user)
    messages.success(request, _("Notifications are off on all your devices. Emails are as you "
                                "chose them."))
    return redirect("accounts:notifications")
