"""allauth hooks: new sign-ups become clinicians; SSO domains cannot use a password."""
from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from .roles import Role
from .services import user_role_grant
from .sso.policy import sso_required_for, sso_required_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_role_grant(user=user, role=Role.CLINICIAN)
        return user

    def pre_authenticate(self, request, **credentials) -> None:
        # Password sign-in (sign-up: accounts/sso/forms.py); SSO sign-ins never come here.
        email = credentials.get("email") or ""
        if sso_required_for(email):
            raise ValidationError(sso_required_message(email))
        super().pre_authenticate(request, **credentials)

    def get_login_stages(self) -> list[str]:
        return ["accounts.sso.stages.SsoAwareAuthenticateStage"
                if path == "allauth.mfa.stages.AuthenticateStage" else path
                for path in super().get_login_stages()]
