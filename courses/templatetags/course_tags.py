"""Template helpers for course pages and enrolment emails."""
import datetime

from django import template
from django.conf import settings

from courses.credit_types import ama_designation_statement, credit_amount_display
from courses.credittypes.selectors import credit_type_info

register = template.Library()


@register.filter
def credit_amount(designation) -> str:
    """'1.50 AMA PRA Category 1 Credits™' for a credit designation."""
    return credit_amount_display(designation.max_credits, designation.credit_type)


@register.simple_tag
def ama_statement(course, maximum) -> str:
    """The AMA designation statement for `course` at `maximum` credits (one wording
    everywhere: courses.credit_types.ama_designation_statement)."""
    return ama_designation_statement(provider=settings.HOSPITAL_NAME,
                                     course_format=course.format, maximum=maximum)


@register.simple_tag
def designation_statement(course, credit_type: str, maximum) -> str:
    """The accreditor's statement for `maximum` of `credit_type` on `course`, as the office
    words the type (empty for a type without one)."""
    info = credit_type_info(credit_type)
    if not info.statement:
        return ""
    return info.statement_for(provider=settings.HOSPITAL_NAME, course_format=course.format,
                              maximum=maximum)


@register.filter(is_safe=True)
def full_stop(sentence: str) -> str:
    """End a sentence with one full stop: a company named "Acme Inc." ends it already."""
    sentence = sentence.rstrip()
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


@register.filter(expects_localtime=False)
def iso_datetime(value: str) -> datetime.datetime | None:
    """Parse an ISO timestamp stored in an email's JSON context back to an aware datetime."""
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def seats_left(course) -> int | None:
    """Free seats of a course annotated with enrolled_count; None when capacity is unlimited."""
    if course.capacity is None:
        return None
    return max(course.capacity - course.enrolled_count, 0)
