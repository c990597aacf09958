from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "courses.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures and commercial support"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import kind_register
        from courses.disclosures.notifications import EMAIL_KINDS

        kind_register(*EMAIL_KINDS)
        beat_task_register(name="disclosure-reminders",
                           task="courses.disclosures.tasks.disclosure_reminders_tick",
                           schedule=3600.0)
