"""The two SCIM lists answer in a fixed number of queries whatever their length (a page is at
most 200 resources, and Entra ID reads every group with its members)."""
import pytest

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def provision(scim, count: int, start: int = 0) -> None:
    ids = []
    for number in range(start, start + count):
        email = f"nurse{number}@hospital.example"
        created = scim("post", "Users", {
            "schemas": [CORE_USER, ENTERPRISE], "userName": email, "active": True,
            "emails": [{"value": email, "primary": True}],
            ENTERPRISE: {"department": f"Unit {number % 2}",
                         "manager": {"value": ids[0]} if ids else None}})
        ids.append(created.body["id"])
    for unit in (f"Unit {start}", f"Unit {start + 1}"):
        scim("post", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                "displayName": f"{unit} float pool",
                                "members": [{"value": value} for value in ids]})


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "expected", "totals"),
                         [("Users", 3, (2, 8)), ("Groups", 5, (2, 4))])
def test_list_queries_do_not_grow_with_the_list(scim, path, expected, totals,
                                                django_assert_num_queries):
    # The token look-up, the count and the page (Groups: their members and member links).
    for (start, count), total in zip(((0, 2), (10, 6)), totals, strict=True):
        provision(scim, count, start=start)
        with django_assert_num_queries(expected):
            page = scim("get", path)
        assert page.body["totalResults"] == total and len(page.body["Resources"]) == total
