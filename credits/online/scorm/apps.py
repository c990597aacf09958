from django.apps import AppConfig


class ScormConfig(AppConfig):
    name = "credits.online.scorm"
    label = "scorm"
    verbose_name = "SCORM attempts and commits"
