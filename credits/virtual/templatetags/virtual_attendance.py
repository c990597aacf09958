"""{% virtual_attendance_offered session as offered %}: whether the session's tabs show its
meeting page: Zoom or Teams is configured, or the session was linked to a meeting before."""
from django import template

from credits.virtual import texting
from credits.virtual.models import VirtualMeeting
from credits.virtual.services import configured_providers

register = template.Library()


@register.simple_tag
def virtual_attendance_offered(session) -> bool:
    return bool(configured_providers()) or VirtualMeeting.objects.filter(session=session).exists()


@register.simple_tag
def text_checkin_offered() -> bool:
    """Whether the profile links to the phone page (an SMS number is configured)."""
    return texting.is_configured()
