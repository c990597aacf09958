from django.apps import AppConfig


class Cmi5Config(AppConfig):
    name = "credits.online.cmi5"
    label = "cmi5"
    verbose_name = "cmi5 registrations, sessions and xAPI statements"
