import pytest
from django.core.exceptions import ValidationError

from accounts.validators import validate_birth_month_day, validate_npi


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_npi_with_a_correct_cms_check_digit_is_accepted(npi):
    validate_npi(npi)


@pytest.mark.parametrize("npi,code", [
    ("1234567890", "npi_check_digit"),
    ("123456789", "npi_format"),
    ("12345678AB", "npi_format"),
])
def test_npi_with_a_wrong_check_digit_or_shape_is_rejected_with_its_reason(npi, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_npi(npi)
    assert excinfo.value.code == code


def test_birth_month_and_day_allow_29_february_but_not_31_april():
    validate_birth_month_day(2, 29)
    with pytest.raises(ValidationError):
        validate_birth_month_day(4, 31)
    with pytest.raises(ValidationError):
        validate_birth_month_day(4, None)
