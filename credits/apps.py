from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reference_rules_ensure(sender, **kwargs) -> None:
    # Also runs after a test database flush, which empties what the data migration created.
    from .requirement_rules import massachusetts_physician_rules_ensure

    massachusetts_physician_rules_ensure()


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "Credits, certificates and reports"

    def ready(self) -> None:
        from . import certificate_receivers  # noqa: F401
        post_migrate.connect(_reference_rules_ensure, sender=self)
