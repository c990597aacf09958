"""{% virtual_attendance_offered as offered %}: whether Zoom or Teams is configured, so the
session tabs show the meeting page only where it can be used."""
from django import template

from credits.virtual.services import configured_providers

register = template.Library()


@register.simple_tag
def virtual_attendance_offered() -> bool:
    return bool(configured_providers())
