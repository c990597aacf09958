"""Credit types a course can be designated for, who may claim each, and how each is worded.

The wording follows the accreditors: the AMA requires "AMA PRA Category 1 Credit(s)™" with the
trademark; ANCC awards "contact hours"; ACPE activities carry a universal activity number (UAN).
"""
import re
from decimal import Decimal

from django.db import models
from django.utils.formats import number_format

from accounts.choices import Profession


class CreditType(models.TextChoices):
    AMA_PRA_1 = "ama_pra_1", "AMA PRA Category 1 Credit™"
    ANCC = "ancc", "ANCC contact hours"
    ACPE = "acpe", "ACPE contact hours"
    AAPA_1 = "aapa_1", "AAPA Category 1 CME credit"
    IPCE = "ipce", "IPCE credit™"
    ABIM_MOC = "abim_moc", "ABIM MOC points"
    PARTICIPATION = "participation", "Certificate of participation (hours)"


# Plural unit used after an amount: "1.50 AMA PRA Category 1 Credits™".
CREDIT_UNIT_PLURAL = {
    CreditType.AMA_PRA_1: "AMA PRA Category 1 Credits™",
    CreditType.ANCC: "ANCC contact hours",
    CreditType.ACPE: "ACPE contact hours",
    CreditType.AAPA_1: "AAPA Category 1 CME credits",
    CreditType.IPCE: "IPCE credits™",
    CreditType.ABIM_MOC: "ABIM MOC points",
    CreditType.PARTICIPATION: "hours of participation",
}
CREDIT_UNIT_SINGULAR = {
    CreditType.AMA_PRA_1: "AMA PRA Category 1 Credit™",
    CreditType.ANCC: "ANCC contact hour",
    CreditType.ACPE: "ACPE contact hour",
    CreditType.AAPA_1: "AAPA Category 1 CME credit",
    CreditType.IPCE: "IPCE credit™",
    CreditType.ABIM_MOC: "ABIM MOC point",
    CreditType.PARTICIPATION: "hour of participation",
}

# Which professions may claim each type. IPCE and participation are open to the whole team;
# everyone who cannot claim a profession-specific type is offered participation.
ELIGIBLE_PROFESSIONS: dict[str, frozenset[str]] = {
    CreditType.AMA_PRA_1: frozenset({Profession.PHYSICIAN}),
    CreditType.ABIM_MOC: frozenset({Profession.PHYSICIAN}),
    CreditType.ANCC: frozenset({Profession.NURSE}),
    CreditType.ACPE: frozenset({Profession.PHARMACIST}),
    CreditType.AAPA_1: frozenset({Profession.PHYSICIAN_ASSISTANT}),
    CreditType.IPCE: frozenset(Profession.values),
    CreditType.PARTICIPATION: frozenset(Profession.values),
}

CREDIT_STEP = Decimal("0.25")


def credit_amount_display(amount: Decimal, credit_type: str, *, localized: bool = True) -> str:
    """'1.50 AMA PRA Category 1 Credits™' — amounts always with their type, the number written
    as the reader's language writes it ('1,50' in Spanish) unless `localized` is off (the
    accreditors' English statements)."""
    units = CREDIT_UNIT_SINGULAR if amount == 1 else CREDIT_UNIT_PLURAL
    number = number_format(amount, decimal_pos=2) if localized else f"{amount:.2f}"
    return f"{number} {units[CreditType(credit_type)]}"


def ama_designation_statement(*, provider: str, course_format: str, maximum: Decimal) -> str:
    """The AMA credit designation statement, worded once for the course page, the claim page,
    the certificate and the transcript: "... for a maximum of 1.00 AMA PRA Category 1 Credit™"
    (singular only for exactly one credit)."""
    learning_format = "enduring material" if course_format == "enduring" else "live activity"
    return (f"{provider} designates this {learning_format} for a maximum of "
            f"{credit_amount_display(Decimal(maximum), CreditType.AMA_PRA_1, localized=False)}. "
            "Physicians should "
            "claim only the credit commensurate with the extent of their participation in the "
            "activity.")


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
