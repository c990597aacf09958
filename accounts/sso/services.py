"""Writes for single sign-on: roles from the identity provider's groups."""
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_role_grant, user_role_revoke


@transaction.atomic
def user_sso_roles_apply(*, user: User, groups: set[str], educator_groups: list[str],
                         administrator_groups: list[str]) -> None:
    """Make the user's staff roles follow the provider's groups, at every sign-in.

    A role whose group list is not configured is left as the CME office set it, so a provider
    that only knows clinicians never takes away a role granted in the portal.
    """
    user_role_grant(user=user, role=Role.CLINICIAN)
    for role, mapped in ((Role.EDUCATOR, educator_groups),
                         (Role.ADMINISTRATOR, administrator_groups)):
        if not mapped:
            continue
        if groups & set(mapped):
            user_role_grant(user=user, role=role)
        else:
            user_role_revoke(user=user, role=role)
