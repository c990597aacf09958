"""At every sign-in through an identity provider: roles from its groups, and whether it did MFA."""
from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from .claims import sso_groups, sso_mfa_asserted
from .services import user_sso_roles_apply

# Set for a session whose sign-in the identity provider secured with MFA; the staff MFA gate
# (accounts.middleware.StaffMfaMiddleware) then lets the person through without portal TOTP.
SSO_MFA_SESSION_KEY = "sso_mfa_provider"


@receiver(user_logged_in)
def _apply_sso_sign_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None:
        request.session.pop(SSO_MFA_SESSION_KEY, None)
        return
    app_settings = sociallogin.provider.app.settings
    user_sso_roles_apply(
        user=user, groups=sso_groups(sociallogin),
        educator_groups=app_settings.get("educator_groups") or [],
        administrator_groups=app_settings.get("administrator_groups") or [])
    if sso_mfa_asserted(sociallogin):
        request.session[SSO_MFA_SESSION_KEY] = sociallogin.provider.app.provider_id
    else:
        request.session.pop(SSO_MFA_SESSION_KEY, None)
