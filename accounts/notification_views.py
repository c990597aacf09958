"""Email preferences: the settings page, and the signed one-click unsubscribe link."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import NotificationPreference
from .notifications import (
    InvalidUnsubscribeToken,
    categories_for,
    unsubscribe_token_read,
)
from .pwa.services import push_enabled, vapid_public_key
from .services import notification_category_unsubscribe, notification_preferences_update


class NotificationPreferencesForm(forms.Form):
    """One tick box per optional category the person can receive."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        switched_off = set(NotificationPreference.objects.filter(
            user=user, enabled=False).values_list("category", flat=True))
        for category in categories_for(user):
            self.fields[category.value] = forms.BooleanField(
                label=category.label, required=False,
                initial=category.value not in switched_off)


@login_required
def notification_preferences(request):
    form = NotificationPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_update(user=request.user, enabled=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your email choices are saved.")
            return redirect("accounts:notifications")
    push_key = vapid_public_key() if push_enabled() else ""
    return render(request, "accounts/notifications.html", {
        "form": form, "push_key": push_key,
        "push_devices": request.user.push_subscriptions.count() if push_key else 0})


# Mail clients send the RFC 8058 one-click POST without a session or CSRF token; the signed
# token in the URL is what authorises it. This is the only view exempt from CSRF.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token: str):
    try:
        user_id, category = unsubscribe_token_read(token)
    except InvalidUnsubscribeToken:
        return render(request, "accounts/notifications_unsubscribe_invalid.html", status=400)
    if request.method == "GET":
        # A GET never changes anything: link scanners in mail gateways follow every link.
        return render(request, "accounts/notifications_unsubscribe.html",
                      {"category": category, "done": False})
    try:
        notification_category_unsubscribe(user_id=user_id, category=category)
    except ValidationError:
        return render(request, "accounts/notifications_unsubscribe_invalid.html", status=404)
    return render(request, "accounts/notifications_unsubscribe.html",
                  {"category": category, "done": True})
