"""Writes of credit types: every save by the office leaves a row of history."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from accounts.models import User
from courses.credittypes.models import CreditType, CreditTypeChange

QUARTER = 4  # designations are held to quarter steps by a database check


def credit_type_problems(credit_type: CreditType, *, professions) -> dict[str, str]:
    """What is wrong with the type; `professions` are those who may claim it (rows)."""
    problems = {}
    if (credit_type.step * QUARTER) % 1:
        problems["step"] = "The step must be a multiple of 0.25 (a quarter hour)."
    if credit_type.is_active and not credit_type.statement.strip():
        problems["statement"] = ("A designable credit type needs the accreditor's statement, "
                                 "printed on the course page and the certificate.")
    if credit_type.statement:
        try:
            credit_type.statement.format(provider="", learning_format="", maximum="")
        except (KeyError, IndexError, ValueError):
            problems["statement"] = ("Use only {provider}, {maximum} and {learning_format} in "
                                     "braces.")
    if not credit_type.open_to_whole_team and not professions:
        problems["eligible_professions"] = ("Tick the professions who may claim it, or open it "
                                            "to the whole team.")
    return problems


@transaction.atomic
def credit_type_save(*, credit_type: CreditType, editor: User | None,
                     eligible_professions=None) -> CreditType:
    """Save the type and, when given, the professions who may claim it (Profession rows);
    the history row holds every value, the professions by code."""
    if eligible_professions is None:
        eligible_professions = (list(credit_type.eligible_professions.all())
                                if credit_type.pk else [])
    problems = credit_type_problems(credit_type, professions=eligible_professions)
    if problems:
        raise ValidationError(problems)
    credit_type.save()
    credit_type.eligible_professions.set(eligible_professions)
    values = model_to_dict(credit_type, exclude=["id", "eligible_professions"])
    values["eligible_professions"] = sorted(profession.code
                                            for profession in eligible_professions)
    CreditTypeChange.objects.create(
        credit_type=credit_type, changed_by=editor,
        values={key: str(value) if value is not None and not isinstance(
            value, (str, bool, int, list)) else value for key, value in values.items()})
    return credit_type
