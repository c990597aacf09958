from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from accounts import (
            checks,  # noqa: F401  (registers the email-template check)
            signals,  # noqa: F401  (connects allauth signal receivers)
        )
        from accounts.notifications import Category, Kind, kind_register

        kind_register(Kind("welcome", Category.ACCOUNT))
