from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "credits.checklists"
    label = "checklists"
    verbose_name = "Skills checklists and competency validation"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import Category, Kind, kind_register

        # Re-validation is required training: learners cannot switch it off.
        kind_register(Kind("checklist_revalidation_due", Category.REQUIRED_TRAINING),
                      Kind("checklist_revalidation_due_manager", Category.REQUIRED_TRAINING))
        beat_task_register(name="checklists", task="credits.checklists.tasks.checklists_tick",
                           schedule=3600.0)
