from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "credits.checklists"
    label = "checklists"
    verbose_name = "Skills checklists and competency validation"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import Category, Kind, kind_register
        from credits.assignments.selectors import completion_source_register, target_register
        from credits.checklists.selectors import (
            checklist_completions,
            unit_assignment_label,
            unit_people,
        )

        # Re-validation is required training: learners cannot switch it off.
        kind_register(Kind("checklist_revalidation_due", Category.REQUIRED_TRAINING),
                      Kind("checklist_revalidation_due_manager", Category.REQUIRED_TRAINING))
        # A completed checklist completes the assignments of it (assigned learning).
        completion_source_register(checklist_completions, item="checklist")
        target_register(target="unit", users=unit_people, label=unit_assignment_label)
        beat_task_register(name="checklists", task="credits.checklists.tasks.checklists_tick",
                           schedule=3600.0)
