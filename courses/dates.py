"""How dates are written in words across the portal: certificates, requirement shortfalls and
claim windows all say '14 March 2027', the way the Board and clinicians write a date, and
'14 de marzo de 2027' or '14 de março de 2027' in Spanish and Portuguese."""
import datetime

from django.utils import dateformat
from django.utils.translation import gettext_noop, pgettext

# Django's own pt_BR catalog capitalises month and weekday names ("Sexta-feira, 20 de Novembro");
# Brazilian spelling writes them in lower case. Named here, they enter the portal's catalog, which
# Django reads before its own, and locale/pt_BR gives them in lower case.
MONTH_NAMES = [gettext_noop("January"), gettext_noop("February"), gettext_noop("March"),
               gettext_noop("April"), gettext_noop("May"), gettext_noop("June"),
               gettext_noop("July"), gettext_noop("August"), gettext_noop("September"),
               gettext_noop("October"), gettext_noop("November"), gettext_noop("December")]
WEEKDAY_NAMES = [gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"),
                 gettext_noop("Thursday"), gettext_noop("Friday"), gettext_noop("Saturday"),
                 gettext_noop("Sunday")]


def long_date(day: datetime.date) -> str:
    """'14 March 2027'."""
    # Translators: a Django date format (j day, F month name, Y year); escape literal letters.
    return dateformat.format(day, pgettext("long date format", "j F Y"))


def long_date_with_weekday(day: datetime.date) -> str:
    """'Friday 20 November 2026'."""
    # Translators: a Django date format (l weekday, j day, F month name, Y year).
    return dateformat.format(day, pgettext("long date with weekday format", "l j F Y"))
