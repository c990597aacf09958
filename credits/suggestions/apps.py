from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "credits.suggestions"
    label = "suggestions"
    verbose_name = "Next for you"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import Category, Kind, kind_register

        kind_register(Kind("next_for_you", Category.SUGGESTIONS))
        # Daily; the digest's weekly occurrence key makes it once a week whatever the tick.
        beat_task_register(name="next-for-you",
                           task="credits.suggestions.tasks.next_for_you_tick", schedule=86400.0)
