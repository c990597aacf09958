"""The director's meeting page for a session (link, pulls, review list), the learner's join
link, and Zoom's webhook."""
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from courses.models import Session
from courses.session_audience import sessions_visible_q
from credits.attendance.selectors import sessions_managed_by
from credits.virtual import selectors, services, texting, texting_services, zoom
from credits.virtual.forms import MeetingLinkForm, ParticipantLinkForm, TextingPhoneForm
from credits.virtual.models import TextingPhone, UnmatchedParticipant, VirtualMeeting


def _managed_session(request, session_id: int) -> Session:
    return get_object_or_404(sessions_managed_by(user=request.user), pk=session_id)


@login_required
def meeting(request, session_id: int):
    """Link the session to a meeting on each configured service (a hybrid session may stream on
    both); then each meeting's registrants and pulls, and the review list."""
    session = _managed_session(request, session_id)
    meetings = selectors.meetings_for_session(session=session)
    providers = services.configured_providers()
    if not meetings and not providers:
        raise Http404("Neither Zoom nor Teams is configured.")
    linked = {meeting.provider for meeting in meetings}
    unlinked = [provider for provider in providers if provider not in linked]
    form = MeetingLinkForm(request.POST or None, providers=unlinked) if unlinked else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.virtual_meeting_link(session=session, actor=request.user,
                                          **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting linked. Enrolled learners get their own join "
                                        "link; attendance is recorded when the meeting ends."))
            return redirect("virtual:meeting", session_id=session.pk)
    unmatched = selectors.review_list(session=session) if meetings else []
    learners = selectors.linkable_learners(session=session) if unmatched else []
    for linked_meeting in meetings:
        linked_meeting.can_pull = linked_meeting.provider in providers
    return render(request, "credits/virtual/meeting.html", {
        "session": session, "meetings": meetings, "form": form,
        "review": [(row, ParticipantLinkForm(learners=learners, prefix=f"p{row.pk}"))
                   for row in unmatched],
        "open_count": sum(row.status == UnmatchedParticipant.Status.OPEN for row in unmatched)})


@require_POST
@login_required
def meeting_pull(request, session_id: int):
    """Pull the report of each of the session's meetings again."""
    session = _managed_session(request, session_id)
    meetings = list(VirtualMeeting.objects.filter(session=session))
    if not meetings:
        raise Http404("This session has no meeting.")
    for linked in meetings:
        services.meeting_report_pull_request(meeting=linked)
    messages.success(request, _("The report is being pulled; reload this page in a minute."))
    return redirect("virtual:meeting", session_id=session.pk)


def _unmatched(request, session_id: int, unmatched_id: int) -> UnmatchedParticipant:
    session = _managed_session(request, session_id)
    return get_object_or_404(UnmatchedParticipant.objects.select_related("meeting__session"),
                             pk=unmatched_id, meeting__session=session)


@require_POST
@login_required
def unmatched_link(request, session_id: int, unmatched_id: int):
    row = _unmatched(request, session_id, unmatched_id)
    form = ParticipantLinkForm(request.POST, prefix=f"p{row.pk}",
                               learners=selectors.linkable_learners(session=row.meeting.session))
    if not form.is_valid():
        messages.error(request, _("Choose an enrolled learner to link."))
    else:
        try:
            services.unmatched_participant_link(unmatched=row, user=form.learner(),
                                                actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s linked: %(minutes)s minutes recorded.") % {
                "name": row.name or row.email, "minutes": row.minutes})
    return redirect("virtual:meeting", session_id=session_id)


@require_POST
@login_required
def unmatched_dismiss(request, session_id: int, unmatched_id: int):
    row = _unmatched(request, session_id, unmatched_id)
    try:
        services.unmatched_participant_dismiss(unmatched=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s dismissed.") % {"name": row.name or row.email})
    return redirect("virtual:meeting", session_id=session_id)


@login_required
def join(request, session_id: int):
    """The link in the course page and the reminder email: on to the learner's own join link
    (404 for a cohort's own session to anyone else)."""
    session = get_object_or_404(Session.objects.filter(sessions_visible_q(user=request.user)),
                                pk=session_id)
    url = selectors.join_url_for(session=session, user=request.user)
    if url is None:
        raise Http404("No meeting link for you for this session.")
    return HttpResponseRedirect(url)


# Zoom calls without a session or CSRF token; the x-zm-signature is what authorises the call.
@csrf_exempt
@require_POST
def zoom_webhook(request):
    if not (zoom.is_configured() and zoom.webhook_secret_is_set()):
        raise Http404("Zoom is not configured.")
    try:
        answer = services.zoom_webhook_receive(
            timestamp=request.headers.get("x-zm-request-timestamp", ""),
            signature=request.headers.get("x-zm-signature", ""), body=request.body)
    except services.WebhookRefused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    return JsonResponse(answer or {"received": True})



@login_required
def phone(request):
    """The learner's phone for text check-in: add it, text the code shown, or remove it."""
    if not texting.is_configured():
        raise Http404("Text check-in is not configured.")
    current = TextingPhone.objects.filter(user=request.user).first()
    form = TextingPhoneForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        texting_services.texting_phone_remove(user=request.user)
        messages.success(request, _("Your phone is no longer linked."))
        return redirect("virtual:phone")
    if request.method == "POST" and form.is_valid():
        try:
            texting_services.texting_phone_start(user=request.user,
                                                 raw_number=form.cleaned_data["number"])
        except ValidationError as error:
            form.add_error("number", error)
        else:
            return redirect("virtual:phone")
    return render(request, "credits/virtual/phone.html", {
        "form": form, "phone": current,
        "phone_display": texting.display(current.number) if current else "",
        "office_number": texting.display(settings.SMS_OFFICE_NUMBER)})


# Twilio posts without a session or CSRF token; X-Twilio-Signature is what authorises it.
@csrf_exempt
@require_POST
def sms_webhook(request):
    if not texting.is_configured():
        raise Http404("Text check-in is not configured.")
    # The URL Twilio was given (behind a proxy the request's own may differ).
    url = settings.SITE_URL + request.get_full_path()
    params = [(name, value) for name, values in request.POST.lists() for value in values]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not hmac.compare_digest(
            signature, texting.request_signature(url=url, params=params)):
        return HttpResponse("Signature required.", status=403, content_type="text/plain")
    reply = texting_services.text_received(
        message_sid=request.POST.get("MessageSid", ""), from_number=request.POST.get("From", ""),
        body=request.POST.get("Body", ""))
    return HttpResponse(texting.twiml_message(reply), content_type="text/xml")
