"""Pages where clinicians find and follow courses."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from credits.selectors.certificates import certificate_list_for_learner


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
        "certificates": certificate_list_for_learner(user=user),
    })
