from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "Credits, certificates and reports"

    def ready(self) -> None:
        from . import certificate_receivers  # noqa: F401
