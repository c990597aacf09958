from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "courses.packages"
    label = "packages"
    verbose_name = "Content packages (SCORM) of online activities"
