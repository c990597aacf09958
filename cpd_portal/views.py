"""The front door: signed-in users go to their learning page."""
from django.shortcuts import redirect, render


def home(request):
    if request.user.is_authenticated:
        return redirect("learning:my_learning")
    return render(request, "home.html")
