"""{% virtual_attendance_offered session as offered %}: whether the session's tabs show its
meeting page: Zoom or Teams is configured, or the session was linked to a meeting before."""
from django import template

from credits.virtual.models import VirtualMeeting
from credits.virtual.services import configured_providers

register = template.Library()


@register.simple_tag
def virtual_attendance_offered(session) -> bool:
    return bool(configured_providers()) or VirtualMeeting.objects.filter(session=session).exists()
