"""allauth hooks: new sign-ups become clinicians."""
from allauth.account.adapter import DefaultAccountAdapter

from .roles import Role
from .services import user_role_grant


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_role_grant(user=user, role=Role.CLINICIAN)
        return user
