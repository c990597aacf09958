from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects allauth signal receivers)
        from .sso import signals as sso_signals  # noqa: F401
