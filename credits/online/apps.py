from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "credits.online"
    label = "online"
    verbose_name = "Online learning progress and post-test attempts"
