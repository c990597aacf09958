from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "credits.series"
    label = "series"
    verbose_name = "Regularly scheduled series"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import kind_register
        from credits.series.notifications import EMAIL_KINDS

        kind_register(*EMAIL_KINDS)
        beat_task_register(name="series-missing-items",
                           task="credits.series.tasks.series_missing_items_tick",
                           schedule=3600.0)
