"""Choice lists for clinician profiles."""
import zoneinfo
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    """The professions every installation starts with (seeded as the office's Profession rows,
    which the profile then offers: `profession_choices`); the codes code refers to by name."""

    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    PHARMACIST = "pharmacist", _("Pharmacist")
    PHYSICIAN_ASSISTANT = "physician_assistant", _("Physician assistant")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    # The other professions Joint Accreditation's credit types serve.
    DENTIST = "dentist", _("Dentist")
    OPTOMETRIST = "optometrist", _("Optometrist")
    ATHLETIC_TRAINER = "athletic_trainer", _("Athletic trainer")
    DIETITIAN = "dietitian", _("Dietitian")
    OTHER = "other", _("Other")


# Set by the app that keeps the office's profession rows (courses.credittypes, a higher layer):
# accounts offers the hook rather than importing it, so a profession added in the admin is
# offered on the profile without a deploy.
_profession_choices_source: Callable[[], list[tuple[str, str]]] | None = None


def profession_choices_source_register(source: Callable[[], list[tuple[str, str]]]) -> None:
    """Called from an AppConfig.ready with a function returning (code, name) pairs."""
    global _profession_choices_source
    _profession_choices_source = source


def profession_choices() -> list[tuple[str, str]]:
    """The professions a profile or licence may state: the office's rows once their app has
    registered its source, else the built-in list (a bare accounts app, early start-up)."""
    if _profession_choices_source is None:
        return Profession.choices
    return _profession_choices_source()


def profession_name(code: str) -> str:
    """A profession's name; a code the office has since removed prints as stored."""
    return dict(profession_choices()).get(code, code)


class Degree(models.TextChoices):
    MD = "MD", "MD"
    DO = "DO", "DO"
    MBBS = "MBBS", "MBBS"
    RN = "RN", "RN"
    BSN = "BSN", "BSN, RN"
    NP = "NP", "NP"
    CRNA = "CRNA", "CRNA"
    PHARMD = "PharmD", "PharmD"
    RPH = "RPh", "RPh"
    PA_C = "PA-C", "PA-C"
    PHD = "PhD", "PhD"
    PSYD = "PsyD", "PsyD"
    LCSW = "LCSW", "LCSW"
    MSW = "MSW", "MSW"
    OTHER = "Other", "Other"


US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("PR", "Puerto Rico"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]

MONTHS = [(i, name) for i, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)]

# US zones first (most learners), then every other IANA zone.
_US_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
             "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico"]
TIME_ZONES = [(z, z.replace("_", " ")) for z in _US_ZONES] + [
    (z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones())
    if z not in _US_ZONES and "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
]
