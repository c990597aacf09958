from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "accounts.pwa"
    label = "pwa"
    verbose_name = "Installable app and push"
