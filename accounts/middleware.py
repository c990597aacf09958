"""Per-user time zone and language, and the MFA gate in front of staff pages."""
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from .sso.signals import SSO_MFA_SESSION_KEY


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """The profile's language, where the user chose one, over the browser's (LocaleMiddleware
    has already activated that one, and adds Vary: Accept-Language on the way out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class StaffMfaMiddleware:
    """Send educators and administrators without TOTP to the setup page, not staff pages
    (unless their identity provider did MFA at this sign-in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(settings.STAFF_URL_PREFIXES)
            and user.is_authenticated
            and user.must_use_mfa
            and not user.has_mfa
            # The hospital's identity provider asked for a second factor at this sign-in.
            and not request.session.get(SSO_MFA_SESSION_KEY)
        ):
            messages.warning(
                request,
                "Educator and administrator pages need two-factor authentication. "
                "Set up an authenticator app to continue.",
            )
            setup_url = reverse("mfa_activate_totp")
            return redirect(f"{setup_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
