"""Password sign-up and adding an address: refused for SSO_REQUIRED_DOMAINS.

Kept on the forms, not allauth's adapter.clean_email, because allauth also runs clean_email on
the addresses an identity provider sends, and those must pass.
"""
from allauth.account.forms import AddEmailForm, SignupForm
from django import forms

from .policy import sso_required_for, sso_required_message


class _SsoDomainCheck:
    def clean_email(self):
        email = super().clean_email()
        if sso_required_for(email):
            raise forms.ValidationError(sso_required_message(email))
        return email


class PasswordSignupForm(_SsoDomainCheck, SignupForm):
    pass


class PasswordAddEmailForm(_SsoDomainCheck, AddEmailForm):
    pass
