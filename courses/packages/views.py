"""Course directors upload SCORM packages, watch them extract, check what the manifest says and
publish a version. Anyone else gets 404 (courses.selectors.educator.course_get_for_director)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import educator_required
from courses.selectors.educator import course_get_for_director

from . import services
from .forms import PackageUploadForm
from .models import ContentPackage
from .selectors import package_current_for, packages_of


@educator_required
def package_list(request, pk: int):
    course = course_get_for_director(user=request.user, pk=pk)
    form = PackageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.package_upload(
                course=course, editor=request.user, upload=form.cleaned_data["file"],
                estimated_minutes=form.cleaned_data["estimated_minutes"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Uploaded “{package.title}” as version {package.version}; "
                                      "its files are being extracted.")
            return redirect("packages:detail", pk=course.pk, version=package.version)
    return render(request, "courses/packages/list.html", {
        "course": course, "form": form, "packages": packages_of(course=course),
        "current": package_current_for(course=course)})


def _package(request, pk: int, version: int) -> ContentPackage:
    course = course_get_for_director(user=request.user, pk=pk)
    return get_object_or_404(ContentPackage.objects.select_related("course", "uploaded_by"),
                             course=course, version=version)


@educator_required
def package_detail(request, pk: int, version: int):
    package = _package(request, pk, version)
    return render(request, "courses/packages/detail.html", {
        "course": package.course, "package": package,
        "current": package_current_for(course=package.course)})


@educator_required
@require_GET
def package_progress(request, pk: int, version: int):
    """The extraction's progress, polled by the detail page until it is done."""
    package = _package(request, pk, version)
    return render(request, "courses/packages/_progress.html",
                  {"course": package.course, "package": package})


@educator_required
@require_POST
def package_publish(request, pk: int, version: int):
    package = _package(request, pk, version)
    try:
        services.package_publish(package=package, editor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Version {package.version} is the one learners now launch. "
                                  "Their records of earlier versions are kept.")
    return redirect("packages:detail", pk=package.course_id, version=package.version)
