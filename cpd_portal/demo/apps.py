from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cpd_portal.demo"
    label = "demo"
    verbose_name = "Demo data (manage.py seed_demo)"
