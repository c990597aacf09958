"""How dates are written in words across the portal: certificates, requirement shortfalls and
claim windows all say '14 March 2027', the way the Board and clinicians write a date."""
import datetime


def long_date(day: datetime.date) -> str:
    """'14 March 2027'."""
    return f"{day.day} {day:%B %Y}"


def long_date_with_weekday(day: datetime.date) -> str:
    """'Friday 20 November 2026'."""
    return f"{day:%A} {long_date(day)}"
