"""allauth's TOTP step at sign-in, skipped when the identity provider already asked for MFA."""
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.models import SocialLogin

from .claims import sso_mfa_asserted


def login_sociallogin(login) -> SocialLogin | None:
    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    if isinstance(sociallogin, dict):
        sociallogin = SocialLogin.deserialize(sociallogin)
    return sociallogin


class SsoAwareAuthenticateStage(AuthenticateStage):
    def _should_handle(self, request) -> bool:
        sociallogin = login_sociallogin(self.login)
        if sociallogin is not None and sso_mfa_asserted(sociallogin):
            return False
        return super()._should_handle(request)
