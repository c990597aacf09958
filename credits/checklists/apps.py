from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "credits.checklists"
    label = "checklists"
    verbose_name = "Skills checklists and competency validation"
