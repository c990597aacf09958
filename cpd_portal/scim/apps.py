from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "cpd_portal.scim"
    label = "scim"
    verbose_name = "SCIM provisioning"
