"""API access tokens: a clinician's own (profile page) and the CME office's service tokens."""
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .decorators import administrator_required
from .forms import AccessTokenForm
from .models import AccessToken
from .tokens import (
    PERSONAL_SCOPES,
    SERVICE_SCOPES,
    access_token_revoke,
    personal_token_create,
    service_token_create,
    service_tokens,
)


def _form(request, scopes):
    return AccessTokenForm(request.POST or None, scopes=scopes,
                           initial={"form_key": secrets.token_urlsafe(16)})


def _create(request, form, create):
    """The new token's page (its secret shown this once), or None with the form's errors."""
    if not (request.method == "POST" and form.is_valid()):
        return None
    # One token per form: a double click or a resubmitted page does not make a second one.
    if not cache.add(f"token-form:{form.cleaned_data['form_key']}", 1, timeout=86400):
        form.add_error(None, "This form was already sent and its token created; its value was "
                             "shown once. Revoke it below if you did not copy it, then create "
                             "another.")
        return None
    try:
        created = create(name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                         expires_on=form.cleaned_data["expires_on"])
    except ValidationError as error:
        form.add_error(None, error)
        return None
    response = render(request, "accounts/token_created.html", {"created": created})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def personal_token_new(request):
    form = _form(request, PERSONAL_SCOPES)
    created = _create(request, form, lambda **kw: personal_token_create(user=request.user, **kw))
    return created or render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_POST
def personal_token_revoke(request, pk: int):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    access_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("accounts:profile")


@administrator_required
@never_cache
def service_token_list(request):
    form = _form(request, SERVICE_SCOPES)
    form.fields["name"].help_text = "What will use it, for example “Workday HR nightly sync”."
    created = _create(request, form, lambda **kw: service_token_create(actor=request.user, **kw))
    return created or render(request, "accounts/service_tokens.html", {
        "form": form, "tokens": service_tokens(), "now": timezone.now()})


@administrator_required
@require_POST
def service_token_revoke(request, pk: int):
    token = get_object_or_404(AccessToken, pk=pk, kind=AccessToken.Kind.SERVICE)
    access_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("tokens:service_tokens")
