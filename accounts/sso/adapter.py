"""allauth's social-account hooks for the hospital's identity providers."""
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.core.exceptions import PermissionDenied
from requests import RequestException

from accounts.roles import Role
from accounts.services import user_role_grant

from .claims import sso_id_token_claims


class SsoRefused(PermissionDenied):
    """A sign-in the portal turns down, with the sentence the person is shown."""


class SsoAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        expected = (sociallogin.state or {}).get("nonce")
        if not expected or sso_id_token_claims(sociallogin).get("nonce") != expected:
            # A code obtained for another browser's sign-in (or replayed) ends here.
            raise OAuth2Error("ID token nonce does not match this sign-in")
        if not any(address.verified for address in sociallogin.email_addresses):
            raise SsoRefused(
                f"{sociallogin.provider.name} did not confirm that the email address on your "
                "hospital account is verified, so the portal cannot create or link an account "
                "for it. Ask the IT service desk to verify your email address, then try again.")

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Hospital staff may get an account from the identity provider even where password
        # sign-up is closed.
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part)
        user.full_name = (name or "").strip()[:150]
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        user_role_grant(user=user, role=Role.CLINICIAN)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None,
                                extra_context=None) -> None:
        name = getattr(provider, "name", "The identity provider")
        if isinstance(exception, SsoRefused):
            message = str(exception)
        elif isinstance(exception, RequestException):
            message = (f"{name} did not answer, so you could not be signed in. Try again in a "
                       "few minutes; if it keeps happening, call the IT service desk.")
        else:
            message = (f"The sign-in reply from {name} could not be accepted: it had expired, "
                       "was not signed by the provider, or did not belong to this browser's "
                       "sign-in. Nothing was changed. Start again from the sign-in page.")
        if extra_context is not None:
            extra_context["sso_error_message"] = message
