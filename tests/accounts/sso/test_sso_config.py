"""Identity providers read from the environment."""
import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.sso.config import sso_apps_from_env


def test_each_named_provider_becomes_an_allauth_app(monkeypatch):
    for name, value in {
        "SSO_PROVIDERS": "entra,okta",
        "SSO_ENTRA_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0/",
        "SSO_ENTRA_CLIENT_ID": "app-id", "SSO_ENTRA_CLIENT_SECRET": "s",
        "SSO_ENTRA_LABEL": "Hospital account (Microsoft)",
        "SSO_ENTRA_EDUCATOR_GROUPS": "3f1c-educators,9a2b-faculty",
        "SSO_ENTRA_VERIFIED_EMAIL_DOMAINS": "Hospital.org",
        "SSO_OKTA_ISSUER": "https://hospital.okta.com/oauth2/default",
        "SSO_OKTA_CLIENT_ID": "okta-id", "SSO_OKTA_CLIENT_SECRET": "t",
    }.items():
        monkeypatch.setenv(name, value)
    entra, okta = sso_apps_from_env(environ.Env())
    assert entra["provider_id"] == "entra" and entra["name"] == "Hospital account (Microsoft)"
    assert entra["settings"]["server_url"] == "https://login.microsoftonline.com/tenant-id/v2.0"
    assert entra["settings"]["educator_groups"] == ["3f1c-educators", "9a2b-faculty"]
    assert entra["settings"]["verified_email"] == ["hospital.org"]
    assert okta["name"] == "Okta" and okta["settings"]["groups_claim"] == "groups"
    assert okta["settings"]["oauth_pkce_enabled"] is True


def test_a_provider_missing_its_secret_stops_start_up_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("SSO_PROVIDERS", "hospital")
    monkeypatch.setenv("SSO_HOSPITAL_ISSUER", "https://idp.hospital.org")
    monkeypatch.setenv("SSO_HOSPITAL_CLIENT_ID", "portal")
    with pytest.raises(ImproperlyConfigured, match="SSO_HOSPITAL_CLIENT_SECRET"):
        sso_apps_from_env(environ.Env())
