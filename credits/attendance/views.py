"""Check-in for clinicians; the check-in display, roster and attendance import for educators."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pwa.recorded import HEADER as RECORDED_AT_HEADER
from accounts.pwa.recorded import recorded_at
from courses import checkin
from courses.qr import qr_svg
from credits.attendance.forms import (
    AttendanceImportForm,
    AttendanceOverrideForm,
    CheckInForm,
    RosterForm,
)
from credits.attendance.minutes import session_minutes
from credits.attendance.models import Attendance
from credits.attendance.selectors import (
    attendance_changes_for,
    attendance_for,
    checked_in_next_step,
    roster_row_or_404,
    session_roster,
    sessions_managed_by,
)
from credits.attendance.services import (
    RosterMark,
    attendance_check_in,
    attendance_import_apply,
    attendance_import_preview,
    attendance_override,
    attendance_roster_save,
    checkin_session_lookup,
)


def _check_in(request, code: str, form: CheckInForm, error_field: str | None):
    try:
        # A code typed offline is checked against the time it was typed (bounded).
        result = attendance_check_in(user=request.user, code=code, at=recorded_at(request))
    except ValidationError as error:
        if RECORDED_AT_HEADER in request.headers:
            # Sent from the phone's queue: nobody sees this response (the service worker does
            # not follow the redirect), so the refusal waits for the learner's next page.
            messages.error(request, error.messages[0])
            return redirect("attendance:checkin")
        form.add_error(error_field, error)
        return None
    when = date_format(timezone.localtime(result.attendance.checked_in_at
                                          or result.attendance.updated_at), "H:i T")
    title = result.attendance.session.display_title
    if result.already_checked_in:
        messages.info(request, f"You're already checked in to {title} at {when}.")
    else:
        messages.success(request, f"You're checked in to {title} at {when}.")
    return redirect(f"{reverse('attendance:checkin')}?session={result.attendance.session_id}")


@login_required
def checkin_enter(request):
    """The code form; after a check-in (?session=<id>) the activity and its next step."""
    if request.method == "GET" and "session" in request.GET:
        checked_in = checked_in_next_step(user=request.user,
                                          session_id=request.GET["session"])
        if checked_in is not None:
            return render(request, "credits/attendance/checkin_done.html",
                          {"checked_in": checked_in})
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _check_in(request, form.cleaned_data["code"], form, "code")
        if response:
            return response
    return render(request, "credits/attendance/checkin.html", {"form": form})


@login_required
def checkin_scanned(request, code: str):
    """The QR code's target: show the session and confirm with one tap (a POST)."""
    form = CheckInForm({"code": code})
    form.is_valid()
    try:
        session = checkin_session_lookup(user=request.user, code=code, at=timezone.now())
    except ValidationError as error:
        if error.code == "session_not_visible":
            raise Http404("No such session.") from error
        form.add_error("code", error)
        return render(request, "credits/attendance/checkin.html", {"form": form})
    if request.method == "POST":
        # The confirm page has no code field: its errors go in the summary.
        response = _check_in(request, code, form, None)
        if response:
            return response
    return render(request, "credits/attendance/checkin_confirm.html", {
        "session": session, "code": code, "form": form,
        "attendance": attendance_for(session=session, user=request.user)})


def _managed_session(request, session_id: int):
    return get_object_or_404(sessions_managed_by(user=request.user), pk=session_id)


@login_required
def checkin_display(request, session_id: int):
    session = _managed_session(request, session_id)
    now = timezone.now()
    code = checkin.current_code(session, now)
    checkin_url = settings.SITE_URL + reverse("attendance:checkin_scanned", args=[code])
    # qr_svg escapes its title; the rest is our own URL's modules.
    qr_code = mark_safe(qr_svg(checkin_url, scale=10, border=2,  # noqa: S308
                               title=f"QR code for {checkin_url}"))
    context = {
        "session": session, "code": code, "checkin_url": checkin_url, "qr_svg": qr_code,
        "entry_url": settings.SITE_URL + reverse("attendance:checkin"),
        "opens_at": checkin.window_opens_at(session),
        "closes_at": checkin.window_closes_at(session),
        "is_open": checkin.window_is_open(session, now),
        "changes_at": checkin.next_code_change(now) if session.checkin_code_rotates else None,
        "checked_in_count": Attendance.objects.filter(
            session=session, status=Attendance.Status.PRESENT).count(),
    }
    if request.htmx:
        return render(request, "credits/attendance/_checkin_panel.html", context)
    return render(request, "credits/attendance/checkin_display.html", context)


@login_required
def roster(request, session_id: int):
    session = _managed_session(request, session_id)
    rows = session_roster(session=session)
    minutes = session_minutes(session)
    form = RosterForm(request.POST or None, rows=rows, session_minutes=minutes)
    if request.method == "POST":
        if "mark_all_present" in request.POST:
            marks = {row.user.pk: RosterMark(
                present=True,
                minutes_attended=row.attendance.minutes_attended if row.is_present else None)
                for row in rows}
        elif form.is_valid():
            marks = form.marks()
        else:
            marks = None
        if marks is not None:
            try:
                changed = attendance_roster_save(session=session, marks=marks,
                                                 recorded_by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Roster saved: {changed} "
                                          f"change{'s' if changed != 1 else ''}.")
                return redirect("attendance:roster", session_id=session.pk)
    return render(request, "credits/attendance/roster.html", {
        "session": session, "form": form, "session_minutes": minutes,
        "present_count": sum(row.is_present for row in rows)})


@login_required
def attendance_override_view(request, session_id: int, user_id: int):
    """Correct one learner's attendance (any source) with a reason; the history below it."""
    session = _managed_session(request, session_id)
    row = roster_row_or_404(session=session, user_id=user_id)
    form = AttendanceOverrideForm(request.POST or None, attendance=row.attendance,
                                  session_minutes=session_minutes(session))
    if request.method == "POST" and form.is_valid():
        try:
            attendance_override(session=session, user=row.user,
                                present=form.cleaned_data["present"],
                                minutes_attended=form.cleaned_data["minutes_attended"],
                                reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance of %(name)s corrected.") % {
                "name": row.user.display_name or row.user.email})
            return redirect("attendance:roster", session_id=session.pk)
    return render(request, "credits/attendance/override.html", {
        "session": session, "row": row, "form": form,
        "changes": attendance_changes_for(attendance=row.attendance)})


@login_required
def import_upload(request, session_id: int):
    session = _managed_session(request, session_id)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_import = attendance_import_preview(
                session=session, uploaded_file=form.cleaned_data["report"],
                uploaded_by=request.user)
        except ValidationError as error:
            form.add_error("report", error)
        else:
            return redirect("attendance:import_detail", session_id=session.pk,
                            import_id=attendance_import.pk)
    return render(request, "credits/attendance/import_form.html", {
        "session": session, "form": form,
        "recent_imports": session.attendance_imports.select_related("uploaded_by")[:10]})


@login_required
def import_detail(request, session_id: int, import_id: int):
    session = _managed_session(request, session_id)
    attendance_import = get_object_or_404(session.attendance_imports, pk=import_id)
    return render(request, "credits/attendance/import_detail.html",
                  {"session": session, "import": attendance_import})


@require_POST
@login_required
def import_apply(request, session_id: int, import_id: int):
    session = _managed_session(request, session_id)
    attendance_import = get_object_or_404(session.attendance_imports, pk=import_id)
    try:
        applied = attendance_import_apply(attendance_import=attendance_import,
                                          applied_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if applied.status == applied.Status.APPLIED:
            messages.success(request, f"Attendance recorded for {applied.attendee_count} "
                                      f"{'person' if applied.attendee_count == 1 else 'people'}.")
        else:
            messages.error(request, "Nothing was applied: the report no longer validates. "
                                    "See the errors below.")
    return redirect("attendance:import_detail", session_id=session.pk, import_id=import_id)
