"""Writes of licence rules: the office's saves in the admin, each leaving a row of history."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from accounts.models import User
from courses.credittypes.models import Profession
from credits.requirements.models import RequirementSet, RequirementSetChange


def requirement_set_problems(requirement_set: RequirementSet) -> dict[str, str]:
    problems = {}
    if not Profession.objects.filter(code=requirement_set.profession).exists():
        problems["profession"] = "Choose a profession from Admin → Professions."
    if requirement_set.live_minimum > requirement_set.total_credits:
        problems["live_minimum"] = "The live-only minimum is part of the total: at most the total."
    if not requirement_set.accepted_credit_types:
        problems["accepted_credit_types"] = "Tick the credit types that count toward the total."
    return problems


@transaction.atomic
def requirement_set_save(*, requirement_set: RequirementSet) -> RequirementSet:
    """Save the set's own fields; its topic minimums follow, then
    `requirement_set_change_record`."""
    problems = requirement_set_problems(requirement_set)
    if problems:
        raise ValidationError(problems)
    requirement_set.save()
    return requirement_set


@transaction.atomic
def requirement_set_change_record(*, requirement_set: RequirementSet,
                                  editor: User | None) -> RequirementSetChange:
    """Append the set's values as saved, topic minimums included, to its history."""
    values = model_to_dict(requirement_set, exclude=["id"])
    values = {key: value if value is None or isinstance(value, (str, bool, int, list))
              else str(value) for key, value in values.items()}
    values["topics"] = [
        {"topic": row.topic.slug, "minimum_credits": str(row.minimum_credits),
         "one_time": row.one_time}
        for row in requirement_set.topic_requirements.select_related("topic")]
    return RequirementSetChange.objects.create(requirement_set=requirement_set,
                                               changed_by=editor, values=values)
