"""A provisioning run as Microsoft Entra ID makes it, request by request, in the shapes of
Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
(learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups,
"User operations" and "Group operations"): look the person up by userName, create them with
the enterprise extension, PATCH with capitalised `op`s (manager by its bare id, department by
its extension path, emails through a filter), add them to a group, then disable them with
`active` false and finally DELETE. Values are a teaching hospital's; shapes are Entra's.
"""
import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session

from accounts.models import AccessToken, User
from accounts.tokens import personal_token_create
from cpd_portal.scim.models import ScimUser
from credits.checklists.models import UnitMembership

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_create(user_name: str, external_id: str, given: str, family: str, department: str):
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": f"{given} {family}", "familyName": family, "givenName": given},
        "roles": [],
        "title": "Registered Nurse",
        ENTERPRISE: {"employeeNumber": "100231", "department": department},
    }


@pytest.mark.django_db
def test_entra_creates_updates_and_deactivates_a_nurse_keeping_her_records(scim, client):
    # Entra asks whether the person exists before creating them.
    found = scim("get", "Users", filter='userName eq "ana.silva@hospital.example"')
    assert found.status_code == 200 and found.body["totalResults"] == 0

    manager = scim("post", "Users", entra_create(
        "grace.okafor@hospital.example", "8f1c7a10-6f2e-4e9a-9a55-3d1c0b7e2a01", "Grace",
        "Okafor", "4 West Medical-Surgical"))
    assert manager.status_code == 201, manager.body
    created = scim("post", "Users", entra_create(
        "ana.silva@hospital.example", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "Ana", "Silva",
        "Emergency Department"))
    assert created.status_code == 201, created.body
    ana_id = created.body["id"]
    assert created.body["userName"] == "ana.silva@hospital.example"
    assert created.body[ENTERPRISE]["department"] == "Emergency Department"
    assert created.status_code == 201 and created["Location"].endswith(f"/Users/{ana_id}")
    ana = User.objects.get(email="ana.silva@hospital.example")
    assert ana.full_name == "Ana Silva" and ana.is_active and ana.is_clinician
    # Entra vouches for her address: single sign-on finds her account by it.
    assert list(EmailAddress.objects.filter(user=ana).values_list("email", "verified")) == [
        ("ana.silva@hospital.example", True)]
    assert list(ana.unit_memberships.values_list("unit__name", flat=True)) == [
        "Emergency Department"]

    # Entra's query by externalId finds her; creating her twice is a conflict.
    by_external = scim("get", "Users",
                       filter='externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')
    assert [r["id"] for r in by_external.body["Resources"]] == [ana_id]
    again = scim("post", "Users", entra_create(
        "ana.silva@hospital.example", "other", "Ana", "Silva", "Emergency Department"))
    assert again.status_code == 409 and again.body["scimType"] == "uniqueness"

    # She moves to 4 West under Grace: Entra's PATCH, `op` capitalised, manager a bare id.
    moved = scim("patch", f"Users/{ana_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "4 West Medical-Surgical"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager.body["id"]},
        {"op": "Replace", "path": 'emails[type eq "work"].value',
         "value": "ana.silva@hospital.example"},
        {"op": "Replace", "path": "title", "value": "Charge Nurse"},
    ]})
    assert moved.status_code == 200, moved.body
    assert moved.body[ENTERPRISE]["department"] == "4 West Medical-Surgical"
    assert moved.body[ENTERPRISE]["manager"]["value"] == manager.body["id"]
    assert moved.body[ENTERPRISE]["manager"]["displayName"] == "Grace Okafor"
    assert moved.body["title"] == "Charge Nurse"
    units = dict(UnitMembership.objects.filter(unit__name="4 West Medical-Surgical")
                 .values_list("user__email", "is_manager"))
    assert units == {"ana.silva@hospital.example": False, "grace.okafor@hospital.example": True}
    assert not UnitMembership.objects.filter(user=ana, unit__name="Emergency Department").exists()

    # Entra creates the unit as a group and adds her (Add members, then Remove).
    group = scim("post", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                    "externalId": "b1e0c3a2", "displayName": "Cardiac ICU",
                                    "meta": {"resourceType": "Group"}})
    assert group.status_code == 201, group.body
    added = scim("patch", f"Groups/{group.body['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": ana_id}]}]})
    assert added.status_code == 200, added.body
    assert [m["value"] for m in added.body["members"]] == [ana_id]
    removed = scim("patch", f"Groups/{group.body['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": ana_id}]}]})
    assert removed.status_code == 200 and "members" not in removed.body

    # Disabled in Entra: signed out everywhere, her tokens revoked, her account kept.
    client.force_login(ana)
    token = personal_token_create(user=ana, name="Phone", scopes=["transcript"]).token
    disabled = scim("patch", f"Users/{ana_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "active", "value": False}]})
    assert disabled.status_code == 200 and disabled.body["active"] is False
    ana.refresh_from_db()
    token.refresh_from_db()
    assert not ana.is_active and token.revoked_at is not None
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")
                == str(ana.pk)]
    # Grace stays in 4 West but no longer manages it: nobody active there reports to her.
    assert list(UnitMembership.objects.filter(user__email="grace.okafor@hospital.example")
                .values_list("unit__name", "is_manager")) == [("4 West Medical-Surgical", False)]

    # Deleted 30 days later: 404 for Entra, the account and its rows stay.
    assert scim("delete", f"Users/{ana_id}").status_code == 204
    assert scim("get", f"Users/{ana_id}").status_code == 404
    assert User.objects.filter(pk=ana.pk, is_active=False).exists()
    assert ScimUser.objects.get(user=ana).deleted_at is not None
    assert AccessToken.objects.filter(user=ana).count() == 1
