"""Validators for professional identifiers clinicians enter in their profile."""
from django.core.exceptions import ValidationError

# CMS prefixes the 10-digit NPI with 80840 (the health-industry issuer) before the Luhn check.
_NPI_ISSUER_PREFIX = "80840"


def _luhn_checksum_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_npi(value: str) -> None:
    if len(value) != 10 or not value.isdigit():
        raise ValidationError("An NPI is exactly 10 digits, for example 1234567893.",
                              code="npi_format")
    if not _luhn_checksum_ok(_NPI_ISSUER_PREFIX + value):
        raise ValidationError(
            "This NPI's check digit does not match. Check it against your NPPES record.",
            code="npi_check_digit",
        )


def validate_birth_month_day(month: int | None, day: int | None) -> None:
    """ACCME PARS reports birth month and day without a year; 29 February is allowed."""
    if month is None and day is None:
        return
    if month is None or day is None:
        raise ValidationError("Give both the birth month and day, or neither.")
    days_in_month = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31,
                     11: 30, 12: 31}
    if month not in days_in_month or not 1 <= day <= days_in_month[month]:
        raise ValidationError("That birth month and day do not exist.")
