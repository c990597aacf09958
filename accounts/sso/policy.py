"""SSO_REQUIRED_DOMAINS: addresses that may only sign in through an identity provider."""
from django.conf import settings


def sso_required_for(email: str) -> bool:
    domain = (email or "").rpartition("@")[2].strip().lower()
    return bool(domain) and domain in settings.SSO_REQUIRED_DOMAINS


def sso_required_message(email: str) -> str:
    domain = email.rpartition("@")[2].strip().lower()
    labels = [app["name"] for app in settings.SSO_APPS]
    button = f"“Sign in with {labels[0]}”" if len(labels) == 1 else "your hospital's sign-in button"
    return (f"Addresses at {domain} sign in through the hospital's single sign-on, not with a "
            f"portal password. Use {button} on the sign-in page.")
