"""Reads for SCIM: find a provisioned person or unit, filter the lists, and build the resource
the identity provider sees from the portal's rows."""
import contextlib
import uuid

from django.db.models import Prefetch, Q, QuerySet
from scim2_models import (
    InvalidFilterException,
    Meta,
    NotFoundException,
    ScimFilter,
)
from scim2_models.path.expressions import CompareOperator, Comparison

from credits.checklists.models import UnitMembership

from .models import ScimGroup, ScimUser
from .resources import EnterpriseUser, GroupResource, UserResource

# The filters identity providers send to match an existing account before creating one
# (Entra ID: userName or externalId; Okta: userName; both: displayName for groups).
_USER_FILTERS = {"username": "user_name__iexact", "externalid": "external_id",
                 "id": "scim_id"}
_GROUP_FILTERS = {"displayname": "unit__name__iexact", "externalid": "external_id",
                  "id": "scim_id"}


def _uuid_or_404(scim_id: str, noun: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(scim_id))
    except ValueError:
        raise NotFoundException(detail=f"No {noun} has the id {scim_id}.") from None


def scim_users() -> QuerySet[ScimUser]:
    return (ScimUser.objects.filter(deleted_at__isnull=True)
            .select_related("user", "manager").order_by("created_at", "pk"))


def scim_user_get(*, scim_id: str) -> ScimUser:
    link = scim_users().filter(scim_id=_uuid_or_404(scim_id, "user")).first()
    if link is None:
        raise NotFoundException(detail=f"No user has the id {scim_id}.")
    return link


def scim_groups() -> QuerySet[ScimGroup]:
    members = UnitMembership.objects.filter(
        user__scim_links__deleted_at__isnull=True).select_related("user").prefetch_related(
        Prefetch("user__scim_links", ScimUser.objects.filter(deleted_at__isnull=True),
                 to_attr="live_links"))
    return (ScimGroup.objects.filter(deleted_at__isnull=True).select_related("unit")
            .prefetch_related(Prefetch("unit__memberships", members, to_attr="scim_members"))
            .order_by("created_at", "pk"))


def scim_group_get(*, scim_id: str) -> ScimGroup:
    link = scim_groups().filter(scim_id=_uuid_or_404(scim_id, "group")).first()
    if link is None:
        raise NotFoundException(detail=f"No group has the id {scim_id}.")
    return link


def _filtered(queryset: QuerySet, text: str, model, lookups: dict[str, str]) -> QuerySet:
    """`attribute eq "value"` on the attributes an identity provider matches accounts on; any
    other filter is refused with invalidFilter rather than answered wrongly."""
    supported = " or ".join(f"{name} eq" for name in ("userName", "displayName", "externalId",
                                                       "id") if name.lower() in lookups)
    refusal = InvalidFilterException(detail=f"Filter with {supported} and one value.")
    node = ScimFilter[model](text).ast
    if (not isinstance(node, Comparison) or node.op != CompareOperator.eq
            or node.attr_path.sub_attr or not isinstance(node.value, str)):
        raise refusal
    lookup = lookups.get(node.attr_path.attr.lower())
    if lookup is None:
        raise refusal
    if lookup == "scim_id":
        try:
            return queryset.filter(scim_id=uuid.UUID(node.value))
        except ValueError:
            return queryset.none()
    return queryset.filter(**{lookup: node.value})


def scim_users_filtered(*, text: str | None) -> QuerySet[ScimUser]:
    queryset = scim_users()
    return _filtered(queryset, text, UserResource, _USER_FILTERS) if text else queryset


def scim_groups_filtered(*, text: str | None) -> QuerySet[ScimGroup]:
    queryset = scim_groups()
    return _filtered(queryset, text, GroupResource, _GROUP_FILTERS) if text else queryset


def _meta(link, resource_type: str, base_url: str) -> Meta:
    return Meta(resource_type=resource_type, created=link.created_at,
                last_modified=link.updated_at,
                location=f"{base_url}/{resource_type}s/{link.scim_id}")


def scim_user_resource(*, link: ScimUser, base_url: str):
    user = link.user
    resource = UserResource(
        id=str(link.scim_id), external_id=link.external_id or None, user_name=link.user_name,
        name={"formatted": link.formatted_name or None, "given_name": link.given_name or None,
              "family_name": link.family_name or None},
        display_name=link.display_name or None, title=link.title or None,
        active=user.is_active, emails=link.emails or None,
        meta=_meta(link, "User", base_url))
    if link.department or link.manager_value:
        manager = None
        if link.manager_value:
            manager = {"value": link.manager_value,
                       "display_name": link.manager.full_name if link.manager else None}
        resource[EnterpriseUser] = EnterpriseUser(department=link.department or None,
                                                  manager=manager)
    return resource


def scim_group_resource(*, link: ScimGroup, base_url: str):
    members = [{"value": str(membership.user.live_links[0].scim_id),
                "ref": f"{base_url}/Users/{membership.user.live_links[0].scim_id}"}
               for membership in link.unit.scim_members if membership.user.live_links]
    return GroupResource(id=str(link.scim_id), external_id=link.external_id or None,
                         display_name=link.unit.name, members=members or None,
                         meta=_meta(link, "Group", base_url))


def scim_links_by_id(*, values: list[str]) -> dict[str, ScimUser]:
    """The live links among SCIM ids (members of a group, a manager), keyed by id."""
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return {str(link.scim_id): link for link in scim_users().filter(scim_id__in=ids)}


def scim_manager_for(*, value: str) -> ScimUser | None:
    """The person a manager reference names: by SCIM id (Entra ID) or external id (Okta)."""
    if not value:
        return None
    query = Q(external_id=value)
    with contextlib.suppress(ValueError):
        query |= Q(scim_id=uuid.UUID(value))
    return scim_users().filter(query).first()
