"""The clinician's licence requirement progress, with the records that count toward each line."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from credits.requirements.selectors import requirement_progress_with_records_for


@login_required
def requirement_progress(request):
    progress = requirement_progress_with_records_for(request.user)
    return render(request, "credits/requirements/progress.html",
                  {"licence_progress": progress,
                   "has_licences": bool(progress) or request.user.licences.exists()})
