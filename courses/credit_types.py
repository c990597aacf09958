"""Credit amounts in words, the AMA statement, quarter steps and the ACPE UAN.

The credit types themselves are data the office keeps in the admin (courses.credittypes: units,
statements, professions, reporting); this module words amounts from them. The AMA requires "AMA
PRA Category 1 Credit(s)™" with the trademark; ACPE activities carry a universal activity number.
"""
import re
from decimal import Decimal

from courses.credittypes.selectors import credit_type_info


class CreditType:
    """Codes of the credit types the portal's own rules name: the AMA statement and cap, the
    ACPE UAN and CPE Monitor, the ABIM MOC post-test. Every other fact about a type (its units,
    statement, professions, step, reporting) is data: courses.credittypes."""

    AMA_PRA_1 = "ama_pra_1"
    ANCC = "ancc"
    ACPE = "acpe"
    AAPA_1 = "aapa_1"
    IPCE = "ipce"
    ABIM_MOC = "abim_moc"
    PARTICIPATION = "participation"


CREDIT_STEP = Decimal("0.25")


def credit_type_name(credit_type: str) -> str:
    """'AMA PRA Category 1 Credit™': the type's name as the office wrote it."""
    return credit_type_info(credit_type).name


def credit_units(amount: Decimal, credit_type: str) -> str:
    """The unit after `amount`: singular only for exactly one."""
    return credit_type_info(credit_type).units(amount)


def credit_amount_display(amount: Decimal, credit_type: str, *, localized: bool = True) -> str:
    """'1.50 AMA PRA Category 1 Credits™' — amounts always with their type, the number written
    as the reader's language writes it ('1,50' in Spanish) unless `localized` is off (the
    accreditors' English statements)."""
    return credit_type_info(credit_type).amount_display(amount, localized=localized)


def ama_designation_statement(*, provider: str, course_format: str, maximum: Decimal) -> str:
    """The AMA credit designation statement, worded once for the course page, the claim page,
    the certificate and the transcript: "... for a maximum of 1.00 AMA PRA Category 1 Credit™"
    (singular only for exactly one credit)."""
    return credit_type_info(CreditType.AMA_PRA_1).statement_for(
        provider=provider, course_format=course_format, maximum=Decimal(maximum))


def round_to_quarter(hours: Decimal) -> Decimal:
    """Round to the nearest 0.25, halves up (AMA: credit in quarter-hour increments)."""
    quarters = (Decimal(hours) / CREDIT_STEP).quantize(Decimal("1"), rounding="ROUND_HALF_UP")
    return quarters * CREDIT_STEP


def is_quarter_step(amount: Decimal) -> bool:
    return amount > 0 and (Decimal(amount) / CREDIT_STEP) % 1 == 0


# ACPE's Universal Activity Number (ACPE "Guidance on the Universal Activity Number"):
# provider number - 0000 (sole) or 9999 (joint providership) - year - sequence -
# activity type (L live, H home study, B blended) + topic designator - P pharmacist or
# T technician audience, e.g. 0197-0000-26-014-L01-P.
ACPE_UAN_REGEX = r"^[0-9]{4}-[0-9]{4}-[0-9]{2}-[0-9]{3}-[LHB](0[1-8])-[PT]$"
ACPE_UAN_PATTERN = re.compile(ACPE_UAN_REGEX)
ACPE_TOPIC_DESIGNATORS = {
    "01": "disease state management / drug therapy", "02": "HIV / AIDS therapy",
    "03": "law related to pharmacy practice", "04": "general pharmacy", "05": "patient safety",
    "06": "immunizations", "07": "compounding", "08": "pain management / opioids",
}
ACPE_UAN_FORMAT_HELP = ("A UAN looks like 0197-0000-26-014-L01-P: provider number, 0000 (or 9999 "
                        "when jointly provided), year, sequence, L (live), H (home study) or B "
                        "with the topic designator 01 to 08, then P (pharmacists) or T "
                        "(technicians).")


def acpe_uan_normalise(value: str) -> str:
    return (value or "").strip().upper()


def acpe_uan_problem(value: str) -> str | None:
    """Why `value` is not a well-formed UAN, in words for the educator; None when it is."""
    value = acpe_uan_normalise(value)
    if not value:
        return "ACPE credit needs the activity's universal activity number (UAN)."
    if not ACPE_UAN_PATTERN.match(value):
        return ACPE_UAN_FORMAT_HELP
    return None


def acpe_uan_audience(value: str) -> str:
    """'P' (pharmacist) or 'T' (technician): the participant type CPE Monitor expects."""
    return acpe_uan_normalise(value)[-1:]


def acpe_uan_is_home_study(value: str) -> bool:
    parts = acpe_uan_normalise(value).split("-")
    return len(parts) == 6 and parts[4].startswith("H")
