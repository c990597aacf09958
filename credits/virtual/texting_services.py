"""Every write of text check-in: linking a phone to a profile, and acting on a text received
(check in with the session's code, link a phone, or explain what to do), each with its reply."""
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from credits.attendance.selectors import checked_in_next_step
from credits.attendance.services import attendance_check_in
from credits.virtual import texting
from credits.virtual.models import InboundText, TextingPhone

LINK_WORD = "LINK"


def _site(path: str) -> str:
    return settings.SITE_URL + path


def texting_phone_start(*, user: User, raw_number: str,
                        now: datetime.datetime | None = None) -> TextingPhone:
    """Record the number the learner typed and a fresh code to text from it."""
    number = texting.e164(raw_number)
    if number is None:
        raise ValidationError(_("That is not a valid mobile number. Include the country code "
                                "if it is not a US number, e.g. +44 7700 900123."))
    now = now or timezone.now()
    with transaction.atomic():
        phone, _created = TextingPhone.objects.select_for_update().get_or_create(
            user=user, defaults={"number": number})
        phone.number, phone.verified_at = number, None
        phone.code = f"{secrets.randbelow(10**6):06d}"
        phone.code_expires_at = now + datetime.timedelta(minutes=settings.SMS_LINK_CODE_MINUTES)
        phone.save()
    return phone


def texting_phone_remove(*, user: User) -> None:
    TextingPhone.objects.filter(user=user).delete()


def _link(number: str, code: str, now: datetime.datetime) -> tuple[str, User | None, str]:
    phone = (TextingPhone.objects.select_for_update().select_related("user")
             .filter(number=number, code=code, verified_at__isnull=True,
                     code_expires_at__gte=now).first())
    if phone is None:
        return "link_refused", None, _(
            "That code does not match this phone, or it has expired. Open %(url)s, add this "
            "number again and text the new code.") % {"url": _site(reverse("virtual:phone"))}
    phone.verified_at, phone.code, phone.code_expires_at = now, "", None
    try:
        with transaction.atomic():
            phone.save()
    except IntegrityError:
        return "link_refused", phone.user, _(
            "This number is already linked to another CPD Portal profile. Remove it there "
            "first, or ask the CME office.")
    return "linked", phone.user, _(
        "This phone is now linked to your CPD Portal profile. To check in, text the code shown "
        "on the screen in the room to this number.")


def _check_in(user: User, code: str, now: datetime.datetime) -> tuple[str, str]:
    try:
        result = attendance_check_in(user=user, code=code, at=now)
    except ValidationError as error:
        # The check-in's own refusals (wrong code, too early, too late, not enrolled, rate
        # limited) already say what happened and what to do.
        return (error.code or "refused"), " ".join(error.messages)
    attendance = result.attendance
    when = date_format(timezone.localtime(attendance.checked_in_at or now,
                                          timezone.get_current_timezone()), "H:i T")
    title = attendance.session.display_title
    if result.already_checked_in:
        return "already", _("You're already checked in to %(title)s (at %(when)s). Nothing "
                            "else to do now.") % {"title": title, "when": when}
    next_step = checked_in_next_step(user=user, session_id=attendance.session_id)
    course_url = _site(reverse("courses:detail", args=[attendance.session.course.slug]))
    after = (_site(next_step.next_step.url) if next_step and next_step.next_step
             and next_step.next_step.url else course_url)
    return "checked_in", _(
        "You're checked in to %(title)s at %(when)s. After the session, evaluate it and claim "
        "your credit at %(url)s") % {"title": title, "when": when, "url": after}


def text_received(*, message_sid: str, from_number: str, body: str,
                  now: datetime.datetime | None = None) -> str:
    """Act on one inbound text and return the reply; a repeated delivery (same MessageSid)
    returns the first reply and does nothing else."""
    now = now or timezone.now()
    earlier = InboundText.objects.filter(message_sid=message_sid).first()
    if earlier is not None:
        return earlier.reply
    number = texting.e164(from_number, region=settings.SMS_DEFAULT_REGION) or from_number
    words = body.strip().upper().split()
    with transaction.atomic():
        user = None
        if len(words) == 2 and words[0] == LINK_WORD:
            outcome, user, reply = _link(number, words[1], now)
        else:
            phone = (TextingPhone.objects.select_related("user")
                     .filter(number=number, verified_at__isnull=False).first())
            if phone is None:
                outcome, reply = "unknown_number", _(
                    "This number is not linked to a CPD Portal profile. Sign in at %(url)s, "
                    "add this number, then text the LINK code shown there. After that, text "
                    "the session's code to check in.") % {
                    "url": _site(reverse("virtual:phone"))}
            else:
                user = phone.user
                outcome, reply = _check_in(user, body, now)
        try:
            with transaction.atomic():
                InboundText.objects.create(message_sid=message_sid[:64], from_number=number[:20],
                                           body=body[:200], user=user, outcome=outcome[:20],
                                           reply=reply)
        except IntegrityError:
            # The same message delivered twice at once: the first one's reply stands.
            return InboundText.objects.get(message_sid=message_sid).reply
    return reply
