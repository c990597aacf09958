from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reference_credit_types_ensure(sender, apps=None, **kwargs) -> None:
    # Also runs after a test database flush, which empties what the data migration created.
    from courses.credittypes.reference import (
        reference_credit_types_ensure,
        reference_professions_ensure,
    )

    try:  # the migrated state's models: absent when the app was just migrated to zero
        credit_type_model = apps.get_model("credittypes", "CreditType") if apps else None
        profession_model = apps.get_model("credittypes", "Profession") if apps else None
    except LookupError:
        return
    reference_professions_ensure(profession_model)
    reference_credit_types_ensure(credit_type_model)


class CreditTypesConfig(AppConfig):
    """Credit types as data: what the office may designate, who may claim it, how it is worded
    and where it is reported (docs/credit-types.md)."""

    name = "courses.credittypes"
    label = "credittypes"
    verbose_name = "Credit types"

    def ready(self) -> None:
        from accounts.choices import profession_choices_source_register
        from courses.credittypes.selectors import profession_choices

        post_migrate.connect(_reference_credit_types_ensure, sender=self)
        profession_choices_source_register(profession_choices)
