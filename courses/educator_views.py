"""Pages where educators run their courses and the CME office reviews them."""
from django.shortcuts import render

from accounts.decorators import educator_required


@educator_required
def my_courses(request):
    return render(request, "courses/my_courses.html", {})
