"""Profile and licence pages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import LicenceForm, ProfileForm
from .models import Licence
from .tokens import access_tokens_for


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {
        "form": form, "licences": request.user.licences.all(),
        "tokens": access_tokens_for(user=request.user), "now": timezone.now(),
    })


@login_required
def licence_edit(request, pk: int | None = None):
    licence = get_object_or_404(Licence, pk=pk, user=request.user) if pk else None
    form = LicenceForm(request.POST or None, instance=licence, user=request.user)
    if request.method == "POST" and form.is_valid():
        licence = form.save(commit=False)
        licence.user = request.user
        licence.save()
        messages.success(request, f"Saved your {licence}.")
        return redirect("accounts:profile")
    return render(request, "accounts/licence_form.html", {"form": form, "licence": licence})


@login_required
@require_POST
def licence_delete(request, pk: int):
    licence = get_object_or_404(Licence, pk=pk, user=request.user)
    licence.delete()
    messages.success(request, f"Removed your {licence}.")
    return redirect("accounts:profile")
