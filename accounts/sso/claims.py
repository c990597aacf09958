"""What the portal reads from a provider's verified claims: groups and whether MFA was used."""
from allauth.socialaccount.models import SocialLogin

# RFC 8176 values that mean a second factor was used (Entra ID and Okta send "mfa"; "otp" is a
# one-time code).
MFA_AMR_VALUES = frozenset({"mfa", "otp"})


def sso_claims(sociallogin: SocialLogin) -> dict:
    """The ID token's claims, with the userinfo endpoint's answer over them (allauth keeps both)."""
    extra = sociallogin.account.extra_data or {}
    return {**(extra.get("id_token") or {}), **(extra.get("userinfo") or {})}


def sso_id_token_claims(sociallogin: SocialLogin) -> dict:
    return (sociallogin.account.extra_data or {}).get("id_token") or {}


def sso_mfa_asserted(sociallogin: SocialLogin) -> bool:
    # amr and acr describe the authentication, so only the signed ID token is believed for them.
    token = sso_id_token_claims(sociallogin)
    amr = token.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if MFA_AMR_VALUES & set(amr):
        return True
    acr_values = sociallogin.provider.app.settings.get("mfa_acr_values") or []
    return bool(token.get("acr")) and token["acr"] in acr_values


def sso_groups(sociallogin: SocialLogin) -> set[str]:
    claim = sociallogin.provider.app.settings.get("groups_claim") or "groups"
    groups = sso_claims(sociallogin).get(claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return {str(group) for group in groups}
