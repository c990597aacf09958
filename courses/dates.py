"""How dates are written in words across the portal: certificates, requirement shortfalls and
claim windows all say '14 March 2027', the way the Board and clinicians write a date, and
'14 de marzo de 2027' or '14 de março de 2027' in Spanish and Portuguese."""
import datetime

from django.utils import dateformat
from django.utils.translation import pgettext


def long_date(day: datetime.date) -> str:
    """'14 March 2027'."""
    # Translators: a Django date format (j day, F month name, Y year); escape literal letters.
    return dateformat.format(day, pgettext("long date format", "j F Y"))


def long_date_with_weekday(day: datetime.date) -> str:
    """'Friday 20 November 2026'."""
    # Translators: a Django date format (l weekday, j day, F month name, Y year).
    return dateformat.format(day, pgettext("long date with weekday format", "l j F Y"))
