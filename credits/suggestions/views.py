"""Dismissing a "Next for you" suggestion from My learning."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from credits.suggestions.services import suggestion_dismiss


@require_POST
@login_required
def suggestion_dismiss_view(request, key: str):
    suggestion_dismiss(user=request.user, key=key)
    return redirect("learning:my_learning")
