"""Pages where clinicians find and follow courses."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from credits.selectors.requirements import requirement_progress_for


@login_required
def my_learning(request):
    user = request.user
    missing_profile = [label for label, present in [
        ("your degree", user.degree),
        ("your NPI", user.npi or user.profession != "physician"),
        ("a licence", user.licences.exists()),
    ] if not present]
    return render(request, "courses/my_learning.html", {
        "missing_profile": missing_profile,
        "requirement_progress": requirement_progress_for(user),
    })
