"""Lists, filters and refusals: pagination as RFC 7644 §3.4.2.4 counts it, the filters the
server answers (and a clear invalidFilter for the rest), and readable errors for bad input."""
import pytest

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def nurse(email: str, **extra):
    return {"schemas": [CORE_USER], "userName": email, "active": True,
            "emails": [{"value": email, "primary": True}], **extra}


@pytest.mark.django_db
def test_users_page_by_start_index_and_count_and_filter_by_user_name(scim):
    for name in ("amy", "ben", "cai"):
        assert scim("post", "Users", nurse(f"{name}@hospital.example")).status_code == 201
    page = scim("get", "Users", startIndex=2, count=1)
    assert (page.body["totalResults"], page.body["startIndex"], page.body["itemsPerPage"]) == (
        3, 2, 1)
    assert [r["userName"] for r in page.body["Resources"]] == ["ben@hospital.example"]
    assert scim("get", "Users", count=0).body["Resources"] == []
    # userName compares without case (RFC 7643 caseExact false); externalId with it.
    found = scim("get", "Users", filter='userName eq "CAI@hospital.example"')
    assert [r["userName"] for r in found.body["Resources"]] == ["cai@hospital.example"]
    only = scim("get", "Users", attributes="userName")
    assert set(only.body["Resources"][0]) == {"id", "schemas", "userName"}


@pytest.mark.django_db
@pytest.mark.parametrize("text", ['title co "Nurse"', 'userName sw "a"',
                                  'userName eq "a" or externalId eq "b"'])
def test_filters_the_server_does_not_answer_are_refused_by_name(scim, text):
    refused = scim("get", "Users", filter=text)
    assert refused.status_code == 400 and refused.body["scimType"] == "invalidFilter"
    assert "userName eq" in refused.body["detail"]


@pytest.mark.django_db
def test_bad_input_gets_a_readable_scim_error(scim):
    assert scim("post", "Users", nurse("dee@hospital.example")).status_code == 201
    bad_json = scim.client.post("/scim/v2/Users", "{", content_type="application/scim+json",
                                HTTP_AUTHORIZATION=f"Bearer {scim.secret}")
    assert bad_json.status_code == 400 and bad_json.json()["scimType"] == "invalidSyntax"
    no_email = scim("post", "Users", {"schemas": [CORE_USER], "userName": "eve",
                                      "active": True, "emails": [{"value": "not-an-email"}]})
    assert no_email.status_code == 400 and "work email" in no_email.body["detail"]
    twin = scim("post", "Users", nurse("dee@hospital.example", userName="dee2"))
    assert twin.status_code == 409 and twin.body["scimType"] == "uniqueness"
    assert scim("get", "Users/not-a-uuid").status_code == 404
    assert scim("get", "Users", startIndex="x").body["scimType"] == "invalidValue"
