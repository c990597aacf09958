"""Identity providers from the environment, as allauth's SOCIALACCOUNT_PROVIDERS apps.

SSO_PROVIDERS names the providers (`hospital,okta`); each name N reads SSO_<N>_ISSUER,
SSO_<N>_CLIENT_ID, SSO_<N>_CLIENT_SECRET, SSO_<N>_LABEL (the button), SSO_<N>_GROUPS_CLAIM,
SSO_<N>_EDUCATOR_GROUPS, SSO_<N>_ADMINISTRATOR_GROUPS, SSO_<N>_MFA_ACR_VALUES and
SSO_<N>_VERIFIED_EMAIL_DOMAINS (for providers, such as Entra ID, whose tokens carry no
`email_verified`: addresses in these domains are taken as verified by the provider).
"""
import re

from django.core.exceptions import ImproperlyConfigured


def _env_name(provider_id: str) -> str:
    return "SSO_" + re.sub(r"[^A-Z0-9]", "_", provider_id.upper()) + "_"


def sso_apps_from_env(env) -> list[dict]:
    apps = []
    for provider_id in env.list("SSO_PROVIDERS", default=[]):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", provider_id):
            raise ImproperlyConfigured(
                f"SSO_PROVIDERS: {provider_id!r} must be lower-case letters, digits and hyphens "
                "(it becomes part of the sign-in URL).")
        prefix = _env_name(provider_id)
        missing = [f"{prefix}{name}" for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
                   if not env.str(f"{prefix}{name}", default="")]
        if missing:
            raise ImproperlyConfigured(f"SSO provider {provider_id!r} needs {', '.join(missing)}.")
        apps.append({
            "provider_id": provider_id,
            "name": env.str(f"{prefix}LABEL", default=provider_id.title()),
            "client_id": env.str(f"{prefix}CLIENT_ID"),
            "secret": env.str(f"{prefix}CLIENT_SECRET"),
            "settings": {
                "server_url": env.str(f"{prefix}ISSUER").rstrip("/"),
                "oauth_pkce_enabled": True,
                "fetch_userinfo": True,
                "scope": env.list(f"{prefix}SCOPES", default=["openid", "email", "profile"]),
                "groups_claim": env.str(f"{prefix}GROUPS_CLAIM", default="groups"),
                "educator_groups": env.list(f"{prefix}EDUCATOR_GROUPS", default=[]),
                "administrator_groups": env.list(f"{prefix}ADMINISTRATOR_GROUPS", default=[]),
                "mfa_acr_values": env.list(f"{prefix}MFA_ACR_VALUES", default=[]),
                # allauth's own app setting: a list of domains whose addresses count as verified.
                "verified_email": [d.lower() for d in
                                   env.list(f"{prefix}VERIFIED_EMAIL_DOMAINS", default=[])],
            },
        })
    return apps
