"""The SCIM resources the portal serves, as scim2-models classes, and what it declares.

The schemas hold only the attributes the portal keeps, so /Schemas tells an identity provider
(and scim2-tester) exactly what round-trips. The policy takes what Entra ID and Okta really
send: attributes the portal does not keep are dropped rather than refused, a PATCH `remove`
may name its members in `value`, and a path filter matching nothing adds the entry.
"""
from typing import Annotated, Any

from pydantic import Field, field_validator
from scim2_models import (
    URN,
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    Extension,
    Filter,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

MAX_RESULTS = 200
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


class Name(ComplexAttribute):
    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    value: Annotated[str | None, Required.true] = None
    type: str | None = None
    primary: bool | None = None


class Manager(ComplexAttribute):
    value: Annotated[str | None, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.read_only] = Field(
        None, serialization_alias="$ref", validation_alias="$ref")
    display_name: Annotated[str | None, Mutability.read_only] = None


class EnterpriseUser(Extension):
    """The person's department (their unit in the portal) and manager."""

    __schema__ = URN(ENTERPRISE_SCHEMA)

    department: str | None = None
    manager: Manager | None = None

    @field_validator("manager", mode="before")
    @classmethod
    def _manager_as_bare_id(cls, value: Any) -> Any:
        # Entra ID's PATCH sets the manager to the bare id string, not {"value": id}.
        return {"value": value} if isinstance(value, str) else value


class User(Resource[AnyExtension]):
    """A person who signs in to the portal."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Name | None = None
    display_name: str | None = None
    title: str | None = None
    # Required where RFC 7643 leaves them optional: the portal signs people in by their email
    # and must know whether they may sign in at all.
    active: Annotated[bool | None, Required.true] = None
    emails: Annotated[list[Email] | None, Required.true] = None


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref")


class Group(Resource[AnyExtension]):
    """A unit or department: its members are people, never other groups."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None


CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[AuthenticationScheme(
        type="oauthbearertoken", name="Service token",
        description="A portal service token with the scim scope, sent as "
                    "'Authorization: Bearer <token>' (manage.py api_token_create --scope scim).",
        primary=True)],
)

POLICY = ScimPolicy(unknown=ScimPolicy.Unknown.ignore,
                    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
                    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create)

PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, Group],
    resource_types=[ResourceType.from_resource(User[EnterpriseUser]),
                    ResourceType.from_resource(Group)],
    config=CONFIG, policy=POLICY)

UserResource = PROVIDER.model_for("User")
GroupResource = PROVIDER.model_for("Group")
