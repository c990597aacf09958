from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "credits.pathways"
    label = "pathways"
    verbose_name = "Learning pathways"

    def ready(self) -> None:
        from credits.pathways import receivers  # noqa: F401  (completions follow credit)
