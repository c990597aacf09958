"""The front door: signed-in users go to their learning page."""
from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader


def home(request):
    if request.user.is_authenticated:
        return redirect("learning:my_learning")
    return render(request, "home.html")


def server_error(request):
    """The 500 page in the portal's layout, rendered without context processors or the user.

    Whatever failed (the database, a template) may fail again inside a processor, so the page
    gets only settings, as Django's own handler does; the nav then shows the signed-out links.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "HOSPITAL_NAME": settings.HOSPITAL_NAME}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
