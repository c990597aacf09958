"""Writes for SCIM: a provisioned resource becomes the portal's person (name, email, active),
their unit membership (department), their manager (who then manages that unit) and title, or
a unit and its members. Deactivation signs the person out everywhere and takes them out of
the assignments they have not completed, in the same request; nothing is ever hard-deleted.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from scim2_models import (
    Context,
    InvalidValueException,
    MutabilityException,
    PatchOp,
    UniquenessException,
)

from accounts.models import User
from accounts.roles import Role
from accounts.services import (
    user_deactivate,
    user_email_vouch,
    user_reactivate,
    user_role_grant,
)
from credits.assignments.services import assignment_members_open_remove
from credits.checklists.models import Unit, UnitMembership

from .models import ScimGroup, ScimUser, UnitManagerGrant
from .resources import EnterpriseUser
from .selectors import (
    scim_group_resource,
    scim_links_by_id,
    scim_manager_for,
    scim_user_resource,
)


def _email_of(resource) -> str:
    emails = resource.emails or []
    chosen = next((e.value for e in emails if e.primary and e.value), None) or next(
        (e.value for e in emails if e.value), None) or resource.user_name or ""
    chosen = chosen.strip().lower()
    try:
        validate_email(chosen)
    except DjangoValidationError:
        raise InvalidValueException(
            detail="Send the person's work email address in emails (primary) or in "
                   "userName.") from None
    return chosen


def _full_name_of(resource) -> str:
    name = resource.name
    parts = [name.given_name, name.family_name] if name else []
    return ((name.formatted if name else None) or " ".join(p for p in parts if p)
            or resource.display_name or resource.user_name)[:150]


def _unit_named(name: str) -> Unit | None:
    name = name.strip()[:200]
    if not name:
        return None
    unit = Unit.objects.filter(name__iexact=name).first()
    return unit or Unit.objects.create(name=name)


def unit_managers_sync(*, unit_ids) -> None:
    """Make the people whom active provisioned members of a unit report to its managers, and
    take back the manager rights SCIM gave that nobody reports under any more."""
    for unit_id in set(unit_ids) - {None}:
        wanted = set(ScimUser.objects.filter(
            deleted_at__isnull=True, department_unit_id=unit_id, user__is_active=True,
            manager__is_active=True).values_list("manager_id", flat=True))
        grants = {grant.user_id: grant for grant in
                  UnitManagerGrant.objects.filter(unit_id=unit_id)}
        for user_id in wanted - set(grants):
            membership, created = UnitMembership.objects.get_or_create(
                unit_id=unit_id, user_id=user_id, defaults={"is_manager": True})
            if created or not membership.is_manager:
                membership.is_manager = True
                membership.save(update_fields=["is_manager"])
                UnitManagerGrant.objects.create(unit_id=unit_id, user_id=user_id,
                                                membership_created=created)
        for user_id in set(grants) - wanted:
            memberships = UnitMembership.objects.filter(unit_id=unit_id, user_id=user_id)
            if grants[user_id].membership_created:
                memberships.delete()
            else:
                memberships.update(is_manager=False)
            grants[user_id].delete()


def _active_set(user: User, active: bool | None) -> None:
    if active is False and user.is_active:
        user_deactivate(user=user)
        assignment_members_open_remove(user=user)
    elif active is True and not user.is_active:
        user_reactivate(user=user)


def _user_write(link: ScimUser, resource) -> ScimUser:
    """Write a whole User resource (create, PUT, or the result of a PATCH) to the portal."""
    user = link.user
    user.email, user.full_name = _email_of(resource), _full_name_of(resource)
    if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
        raise UniquenessException(detail=f"Another account already uses {user.email}.")
    user.save(update_fields=["email", "full_name"])
    try:
        user_email_vouch(user=user)
    except DjangoValidationError as error:
        raise UniquenessException(detail=" ".join(error.messages)) from None
    enterprise = resource[EnterpriseUser] or EnterpriseUser()
    manager_value = (enterprise.manager.value if enterprise.manager else None) or ""
    manager = scim_manager_for(value=manager_value)
    if manager is not None and manager.user_id == user.pk:
        raise InvalidValueException(detail="A person cannot be their own manager.")
    before_unit_id = link.department_unit_id
    link.external_id = resource.external_id or ""
    link.user_name = resource.user_name
    link.formatted_name = (resource.name.formatted if resource.name else None) or ""
    link.given_name = (resource.name.given_name if resource.name else None) or ""
    link.family_name = (resource.name.family_name if resource.name else None) or ""
    link.display_name = resource.display_name or ""
    link.title = resource.title or ""
    link.emails = [e.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
                   for e in resource.emails or []]
    link.department = (enterprise.department or "").strip()
    link.department_unit = _unit_named(link.department)
    link.manager_value = manager_value
    link.manager = manager.user if manager else None
    link.updated_at = timezone.now()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise UniquenessException(detail=f"Another user has the userName "
                                         f"{resource.user_name}.") from None
    if link.department_unit_id and link.department_unit_id != before_unit_id:
        UnitMembership.objects.get_or_create(unit_id=link.department_unit_id, user=user)
    if before_unit_id and before_unit_id != link.department_unit_id:
        UnitMembership.objects.filter(unit_id=before_unit_id, user=user,
                                      is_manager=False).delete()
    _active_set(user, resource.active)
    # People already provisioned who named this person as their manager before they existed.
    known_as = [str(link.scim_id), *([link.external_id] if link.external_id else [])]
    waiting = ScimUser.objects.filter(manager_value__in=known_as, deleted_at__isnull=True,
                                      manager__isnull=True)
    waiting_units = list(waiting.values_list("department_unit_id", flat=True))
    waiting.update(manager=user)
    managed_units = UnitManagerGrant.objects.filter(user=user).values_list("unit_id", flat=True)
    unit_managers_sync(unit_ids=[before_unit_id, link.department_unit_id, *waiting_units,
                                 *managed_units])
    return link


@transaction.atomic
def scim_user_create(*, resource) -> ScimUser:
    """Provision a person: a new account, or the existing account with that email (people
    who signed up before the hospital turned SCIM on keep everything they have)."""
    email = _email_of(resource)
    if ScimUser.objects.filter(deleted_at__isnull=True,
                               user_name__iexact=resource.user_name).exists():
        raise UniquenessException(detail=f"A user with userName {resource.user_name} exists.")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.scim_links.filter(deleted_at__isnull=True).exists():
        raise UniquenessException(detail=f"A provisioned user already has the email {email}.")
    if user is None:
        user = User.objects.create_user(email=email, full_name=_full_name_of(resource))
        user_role_grant(user=user, role=Role.CLINICIAN)
    link = ScimUser(user=user, user_name=resource.user_name)
    return _user_write(link, resource)


@transaction.atomic
def scim_user_replace(*, link: ScimUser, resource) -> ScimUser:
    if resource.id and resource.id != str(link.scim_id):
        raise MutabilityException(detail="The id of a user cannot change.")
    return _user_write(link, resource)


def _without_nulls(payload: dict) -> dict:
    """Entra ID names members as {"$ref": null, "value": id}: a null there says nothing, and
    left in, it would match no member (whose $ref is its URL), so a remove would miss."""
    operations = payload.get("Operations")
    if not isinstance(operations, list):
        return payload
    cleaned = []
    for operation in operations:
        value = operation.get("value") if isinstance(operation, dict) else None
        if isinstance(value, list):
            value = [{k: v for k, v in item.items() if v is not None}
                     if isinstance(item, dict) else item for item in value]
            operation = {**operation, "value": value}
        cleaned.append(operation)
    return {**payload, "Operations": cleaned}


def _patched(resource, payload: dict):
    """The resource with a PatchOp applied (scim2-models reads Entra's capitalised `op`s and
    extension paths), or None when it changes nothing."""
    patch = PatchOp[type(resource)].model_validate(_without_nulls(payload),
                                                   scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    return resource if patch.patch(resource) else None


@transaction.atomic
def scim_user_patch(*, link: ScimUser, payload: dict, base_url: str) -> ScimUser:
    if resource := _patched(scim_user_resource(link=link, base_url=base_url), payload):
        _user_write(link, resource)
    return link


@transaction.atomic
def scim_user_delete(*, link: ScimUser) -> None:
    """DELETE deactivates: the person is signed out and leaves their open assignments, the
    link ends (the identity provider sees 404), and the account and its records stay."""
    _active_set(link.user, False)
    ScimUser.objects.filter(pk=link.pk).update(deleted_at=timezone.now(), department_unit=None)
    managed = UnitManagerGrant.objects.filter(user=link.user).values_list("unit_id", flat=True)
    unit_managers_sync(unit_ids=[link.department_unit_id, *managed])


def _group_write(link: ScimGroup, resource) -> ScimGroup:
    """Name the unit and set its provisioned members; members the office added by hand (no
    SCIM link) and managers are left as they are."""
    name = (resource.display_name or "").strip()[:200]
    if not name:
        raise InvalidValueException(detail="Send the unit's name in displayName.")
    if Unit.objects.filter(name__iexact=name).exclude(pk=link.unit_id).exists():
        raise UniquenessException(detail=f"Another unit is called {name}.")
    Unit.objects.filter(pk=link.unit_id).update(name=name)
    link.external_id = resource.external_id or ""
    link.updated_at = timezone.now()
    link.save()
    values = [member.value for member in resource.members or [] if member.value]
    members = scim_links_by_id(values=values)
    if unknown := [value for value in values if value not in members]:
        raise InvalidValueException(detail=f"No provisioned user has the id {unknown[0]}.")
    wanted = {member.user_id for member in members.values()}
    UnitMembership.objects.filter(
        unit_id=link.unit_id, is_manager=False, user__scim_links__deleted_at__isnull=True,
    ).exclude(user_id__in=wanted).delete()
    UnitMembership.objects.bulk_create(
        [UnitMembership(unit_id=link.unit_id, user_id=user_id) for user_id in wanted],
        ignore_conflicts=True)
    return link


@transaction.atomic
def scim_group_create(*, resource) -> ScimGroup:
    """A group is a unit: an existing unit of the same name is taken over, not duplicated."""
    unit = _unit_named(resource.display_name or "")
    if unit is None:
        raise InvalidValueException(detail="Send the unit's name in displayName.")
    if ScimGroup.objects.filter(unit=unit, deleted_at__isnull=True).exists():
        raise UniquenessException(detail=f"A group for {unit.name} exists.")
    return _group_write(ScimGroup.objects.create(unit=unit), resource)


@transaction.atomic
def scim_group_replace(*, link: ScimGroup, resource) -> ScimGroup:
    if resource.id and resource.id != str(link.scim_id):
        raise MutabilityException(detail="The id of a group cannot change.")
    return _group_write(link, resource)


@transaction.atomic
def scim_group_patch(*, link: ScimGroup, payload: dict, base_url: str) -> ScimGroup:
    if resource := _patched(scim_group_resource(link=link, base_url=base_url), payload):
        _group_write(link, resource)
    return link


@transaction.atomic
def scim_group_delete(*, link: ScimGroup) -> None:
    """The link ends; the unit, its validators and its people stay (validations name it)."""
    ScimGroup.objects.filter(pk=link.pk).update(deleted_at=timezone.now())
