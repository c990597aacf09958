"""Pages where educators run their courses and the CME office reviews them."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.choices import profession_choices
from accounts.decorators import administrator_required, educator_required
from courses.forms import (
    CourseForm,
    DesignationForm,
    DisclosureForm,
    FacultyAddForm,
    ReturnForm,
    SessionForm,
    SessionSeriesForm,
)
from courses.models import Course, Disclosure, Faculty
from courses.selectors import educator as selectors
from courses.services import publishing, review
from courses.services.publishing import SeriesRule
from courses.session_audience import session_labels


def _run(form, service, **kwargs):
    """Call a service; its ValidationError becomes form errors. Returns the result or None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict") and not set(error.error_dict) <= set(form.fields):
            error = ValidationError(error.messages)
        form.add_error(None, error)
        return None


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _course_faculty_queryset(course: Course, *, also: str | None = None):
    """The course's faculty and planners, plus a person just added as a planner (`also`), who
    belongs to the course only once their disclosure is recorded."""
    pks = [person.pk for person in selectors.course_faculty(course=course)]
    if also and also.isdigit():
        pks.append(int(also))
    return Faculty.objects.filter(pk__in=pks)


def _profession_labels(course: Course) -> list[str]:
    names = dict(profession_choices())
    return [names[value] for value in course.target_professions if value in names]


def _workspace(request, pk: int) -> Course:
    return selectors.course_workspace(user=request.user, pk=pk)


# --- My courses and the course workspace ------------------------------------------------------

@educator_required
def my_courses(request):
    return render(request, "courses/my_courses.html", {
        "courses": selectors.my_courses(user=request.user),
    })


@educator_required
def course_create(request):
    form = CourseForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        course = _run(form, publishing.course_create, director=request.user, **form.cleaned_data)
        if course:
            messages.success(request, f"Created “{course.title}”. Next, add its sessions.")
            return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/course_form.html", {"form": form, "course": None})


@educator_required
def course_overview(request, pk: int):
    course = _workspace(request, pk)
    # Sessions kept for an audience (a pathway cohort's own) are marked for the directors.
    labels = session_labels(session.pk for session in course.sessions.all())
    for session in course.sessions.all():
        session.audience_label = labels.get(session.pk, "")
    return render(request, "courses/educator/course_overview.html", {
        "course": course,
        "faculty": selectors.course_faculty(course=course),
        "problems": review.course_publication_problems(course=course),
        "session_hours": publishing.course_session_hours(course=course),
        "profession_labels": _profession_labels(course),
    })


@educator_required
def course_edit(request, pk: int):
    course = _workspace(request, pk)
    form = CourseForm(request.POST or None, instance=course, editor=request.user)
    if request.method == "POST" and form.is_valid() and _run(
            form, publishing.course_update, course=course, editor=request.user,
            **form.cleaned_data):
        messages.success(request, "The course details are saved.")
        return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/course_form.html", {"form": form, "course": course})


@educator_required
@require_POST
def course_submit(request, pk: int):
    course = selectors.course_get_for_director(user=request.user, pk=pk)
    try:
        review.course_submit(course=course, editor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "Submitted for review. The CME office will publish it or "
                                  "return it to you with a comment; you will get an email.")
    return redirect("educator:course_overview", pk=pk)


# --- Sessions ---------------------------------------------------------------------------------

@educator_required
def session_create(request, pk: int):
    course = _workspace(request, pk)
    form = SessionForm(request.POST or None, faculty_queryset=_course_faculty_queryset(course),
                       time_zone=request.user.time_zone)
    if request.method == "POST" and form.is_valid() and _run(
            form, publishing.session_create, course=course, editor=request.user,
            **form.service_kwargs()):
        messages.success(request, "The session is added.")
        return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/session_form.html",
                  {"form": form, "course": course, "session": None})


@educator_required
def session_edit(request, pk: int, session_pk: int):
    course = _workspace(request, pk)
    session = get_object_or_404(course.sessions.all(), pk=session_pk)
    form = SessionForm(request.POST or None, faculty_queryset=_course_faculty_queryset(course),
                       time_zone=request.user.time_zone, session=session)
    if request.method == "POST" and form.is_valid() and _run(
            form, publishing.session_update, session=session, editor=request.user,
            **form.service_kwargs()):
        messages.success(request, "The session is saved.")
        return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/session_form.html",
                  {"form": form, "course": course, "session": session})


@educator_required
def session_cancel(request, pk: int, session_pk: int):
    """GET asks for confirmation (cancelling cannot be undone); POST cancels."""
    course = selectors.course_get_for_director(user=request.user, pk=pk)
    session = get_object_or_404(course.sessions.all(), pk=session_pk)
    if request.method != "POST":
        return render(request, "courses/educator/session_cancel.html",
                      {"course": course, "session": session})
    try:
        publishing.session_cancel(session=session, editor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "The session is cancelled.")
    return redirect("educator:course_overview", pk=pk)


@educator_required
def session_series_create(request, pk: int):
    course = _workspace(request, pk)
    form = SessionSeriesForm(request.POST or None,
                             faculty_queryset=_course_faculty_queryset(course),
                             time_zone=request.user.time_zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = SeriesRule(weekdays=tuple(data["weekdays"]), start_time=data["start_time"],
                          end_time=data["end_time"], first_date=data["first_date"],
                          time_zone=data["time_zone"], interval_weeks=data["interval_weeks"],
                          count=data["count"], until=data["until"])
        sessions = _run(form, publishing.session_series_create, course=course,
                        editor=request.user, rule=rule, title=data["title"],
                        location=data["location"], online_url=data["online_url"],
                        faculty=data["faculty"])
        if sessions:
            messages.success(request, f"Added a series of {len(sessions)} sessions.")
            return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/series_form.html", {"form": form, "course": course})


# --- Faculty, credit designations, disclosures ------------------------------------------------

@educator_required
def faculty_add(request, pk: int):
    course = _workspace(request, pk)
    form = FacultyAddForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _run(form, publishing.faculty_add, course=course, editor=request.user,
                      faculty=data["existing"], full_name=data["full_name"],
                      degree=data["degree"], email=data["email"], sessions=data["sessions"])
        if person:
            messages.success(request, f"Added {person.full_name}. Now record their disclosure.")
            role = "faculty" if data["sessions"] else "planner"
            disclosure_url = reverse("educator:disclosure_create", args=[course.pk])
            return redirect(f"{disclosure_url}?{urlencode({'faculty': person.pk, 'role': role})}")
    return render(request, "courses/educator/faculty_form.html", {"form": form, "course": course})


@educator_required
def designation_edit(request, pk: int, designation_pk: int | None = None):
    course = _workspace(request, pk)
    designation = (get_object_or_404(course.credit_designations.all(), pk=designation_pk)
                   if designation_pk else None)
    initial = ({"credit_type": designation.credit_type, "max_credits": designation.max_credits,
                "acpe_uan": designation.acpe_uan} if designation else None)
    form = DesignationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _run(
            form, publishing.designation_save, course=course, editor=request.user,
            designation=designation, **form.cleaned_data):
        messages.success(request, "The credit designation is saved.")
        return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/designation_form.html", {
        "form": form, "course": course, "designation": designation,
        "session_hours": publishing.course_session_hours(course=course),
    })


def _delete_from_course(request, *, pk: int, items: str, item_pk: int, delete, done: str):
    """Delete one of a directed course's designations or disclosures through its service."""
    course = selectors.course_get_for_director(user=request.user, pk=pk)
    item = get_object_or_404(getattr(course, items).all(), pk=item_pk)
    try:
        delete(item, editor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("educator:course_overview", pk=pk)


@educator_required
@require_POST
def designation_delete(request, pk: int, designation_pk: int):
    return _delete_from_course(
        request, pk=pk, items="credit_designations", item_pk=designation_pk,
        delete=lambda item, editor: publishing.designation_delete(designation=item,
                                                                  editor=editor),
        done="The credit designation is removed.")


@educator_required
def disclosure_edit(request, pk: int, disclosure_pk: int | None = None):
    course = _workspace(request, pk)
    disclosure = (get_object_or_404(course.disclosures.all(), pk=disclosure_pk)
                  if disclosure_pk else None)
    initial = {key: request.GET[key] for key in ("faculty", "role") if key in request.GET}
    faculty_queryset = _course_faculty_queryset(course, also=request.GET.get("faculty"))
    form = DisclosureForm(request.POST or None, faculty_queryset=faculty_queryset,
                          disclosure=disclosure, initial=initial)
    if request.method == "POST" and form.is_valid() and _run(
            form, publishing.disclosure_save, course=course, editor=request.user,
            disclosure=disclosure, **form.cleaned_data):
        person = form.cleaned_data["faculty"]
        messages.success(request, f"{person.full_name} is listed as "
                                  f"{Disclosure.Role(form.cleaned_data['role']).label.lower()}; "
                                  + ("a disclosure link is emailed to them." if person.email
                                     else "add their email address to send a disclosure link."))
        return redirect("educator:course_overview", pk=course.pk)
    return render(request, "courses/educator/disclosure_form.html",
                  {"form": form, "course": course, "disclosure": disclosure})


@educator_required
@require_POST
def disclosure_delete(request, pk: int, disclosure_pk: int):
    return _delete_from_course(
        request, pk=pk, items="disclosures", item_pk=disclosure_pk,
        delete=lambda item, editor: publishing.disclosure_delete(disclosure=item, editor=editor),
        done="The disclosure is removed.")


# --- Review by the CME office -----------------------------------------------------------------

@administrator_required
def review_queue(request):
    return render(request, "courses/review/queue.html", {
        "in_review": selectors.review_queue(),
        "published": selectors.recently_published(),
    })


def _review_page(request, course: Course, return_form: ReturnForm | None = None, status=200):
    return render(request, "courses/review/course.html", {
        "course": course,
        "faculty": selectors.course_faculty(course=course),
        "problems": review.course_publication_problems(course=course),
        "session_hours": publishing.course_session_hours(course=course),
        "profession_labels": _profession_labels(course),
        "return_form": return_form or ReturnForm(),
    }, status=status)


@administrator_required
def review_course(request, pk: int):
    return _review_page(request, selectors.course_for_review(pk=pk))


@administrator_required
@require_POST
def review_publish(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    try:
        review.course_publish(course=course, reviewer=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("educator:review_course", pk=pk)
    messages.success(request, f"Published “{course.title}”; its directors are emailed.")
    return redirect("educator:review_queue")


@administrator_required
@require_POST
def review_return(request, pk: int):
    course = selectors.course_for_review(pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid() and _run(form, review.course_return, course=course,
                                reviewer=request.user, comment=form.cleaned_data["comment"]):
        messages.success(request, f"Returned “{course.title}” to its directors with your comment.")
        return redirect("educator:review_queue")
    return _review_page(request, course, return_form=form, status=400)


@administrator_required
@require_POST
def review_archive(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    try:
        review.course_archive(course=course, reviewer=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, f"Archived “{course.title}”.")
    return redirect("educator:review_course", pk=pk)
