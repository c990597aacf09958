"""A provisioning run as Okta makes it, in the shapes of Okta's "Okta and SCIM Version 2.0"
reference (developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20): look the user up by
userName with startIndex and count, create them (Okta sends a password, groups and locale the
portal does not keep), update the profile with a whole-resource PUT, push a group, and
deactivate with a path-less lower-case `replace` of `active`. Okta never sends DELETE.
"""
import pytest

from accounts.models import User
from credits.assignments.models import AssignmentMember
from credits.checklists.models import UnitMembership
from tests.factories import CourseFactory

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def okta_user(**changes):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": "luis.moreno@hospital.example",
        "name": {"givenName": "Luis", "familyName": "Moreno"},
        "emails": [{"primary": True, "value": "luis.moreno@hospital.example", "type": "work"}],
        "displayName": "Luis Moreno",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        ENTERPRISE: {"department": "Neonatal ICU"},
    }
    return {**body, **changes}


@pytest.mark.django_db
def test_okta_creates_moves_and_deactivates_a_respiratory_therapist(scim, admin_user):
    lookup = scim("get", "Users", filter='userName eq "luis.moreno@hospital.example"',
                  startIndex=1, count=100)
    assert lookup.status_code == 200 and lookup.body["Resources"] == []

    manager = scim("post", "Users", okta_user(
        userName="ines.park@hospital.example", externalId="00u1manager",
        name={"givenName": "Ines", "familyName": "Park"}, displayName="Ines Park",
        emails=[{"primary": True, "value": "ines.park@hospital.example", "type": "work"}]))
    assert manager.status_code == 201, manager.body
    created = scim("post", "Users", okta_user())
    assert created.status_code == 201, created.body
    luis_id = created.body["id"]
    assert "password" not in created.body and "groups" not in created.body
    luis = User.objects.get(email="luis.moreno@hospital.example")
    assert luis.full_name == "Luis Moreno" and not luis.has_usable_password()

    # A profile change in Okta is a PUT of the whole user, the id and meta included; Okta's
    # manager reference is the manager's Okta id, which is their externalId here.
    replaced = scim("put", f"Users/{luis_id}", okta_user(
        id=luis_id, title="Respiratory Therapist II",
        meta={"resourceType": "User"},
        **{ENTERPRISE: {"department": "Pediatric ICU",
                        "manager": {"value": "00u1manager", "displayName": "Ines Park"}}}))
    assert replaced.status_code == 200, replaced.body
    assert replaced.body["title"] == "Respiratory Therapist II"
    assert replaced.body[ENTERPRISE]["manager"] == {"value": "00u1manager",
                                                     "displayName": "Ines Park"}
    assert dict(UnitMembership.objects.filter(unit__name="Pediatric ICU")
                .values_list("user__email", "is_manager")) == {
        "luis.moreno@hospital.example": False, "ines.park@hospital.example": True}

    # Group push: create the group, then Okta's add and remove of members.
    group = scim("post", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                    "displayName": "Respiratory Therapy", "members": []})
    assert group.status_code == 201, group.body
    group_id = group.body["id"]
    scim("patch", f"Groups/{group_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "add", "path": "members",
         "value": [{"value": luis_id, "display": "luis.moreno@hospital.example"}]}]})
    assert set(UnitMembership.objects.filter(unit__name="Respiratory Therapy")
               .values_list("user__email", flat=True)) == {"luis.moreno@hospital.example"}
    renamed = scim("patch", f"Groups/{group_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"id": group_id, "displayName": "Respiratory Care"}}]})
    assert renamed.status_code == 200 and renamed.body["displayName"] == "Respiratory Care"
    scim("patch", f"Groups/{group_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "remove", "path": f'members[value eq "{luis_id}"]'}]})
    assert not UnitMembership.objects.filter(unit__name="Respiratory Care").exists()

    # Two assignments: one done (kept), one open (left when he is deactivated).
    done, open_ = (AssignmentMember.objects.create(
        assignment=assignment, user=luis, assigned_on="2026-01-05", due_on="2026-03-01",
        completed_on=completed) for assignment, completed in (
        (_assignment(admin_user, "Annual restraint competency"), "2026-02-10"),
        (_assignment(admin_user, "Blood administration refresher"), None)))

    deactivated = scim("patch", f"Users/{luis_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"active": False}}]})
    assert deactivated.status_code == 200 and deactivated.body["active"] is False
    assert list(AssignmentMember.objects.filter(user=luis)) == [done]
    # Okta reads him back as inactive (it never deletes), and can reactivate him.
    assert scim("get", f"Users/{luis_id}").body["active"] is False
    reactivated = scim("patch", f"Users/{luis_id}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"active": True}}]})
    assert reactivated.body["active"] is True and User.objects.get(pk=luis.pk).is_active


def _assignment(created_by, title):
    from credits.assignments.models import Assignment

    return Assignment.objects.create(
        title=title, course=CourseFactory(format="enduring"), target="email_list",
        due="fixed", due_on="2026-03-01", created_by=created_by)
