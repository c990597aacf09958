"""SCIM 2.0 (/scim/v2/): only a service token holding the `scim` scope gets in. Nobody's
session counts; personal tokens and the matrix's service token (reports and catalog) get 403,
no token 401. What a token with the scim scope gets is in tests/scim/test_authorization.py."""
from tests.authz_rows import ROLES, Row

SCIM_ONLY = {"anonymous": 401, **dict.fromkeys(ROLES[1:], 403), "service": 403}
SOME_ID = {"scim_id": "0b4f3c56-5f0e-4c1a-9a47-4f1d2b1e9c10"}

ROWS: dict[str, Row] = {
    "scim/v2/ServiceProviderConfig": Row(SCIM_ONLY, token=True),
    "scim/v2/Schemas": Row(SCIM_ONLY, token=True),
    "scim/v2/Schemas/<str:schema_id>": Row(
        SCIM_ONLY, token=True,
        kwargs=lambda w: {"schema_id": "urn:ietf:params:scim:schemas:core:2.0:User"}),
    "scim/v2/ResourceTypes": Row(SCIM_ONLY, token=True),
    "scim/v2/ResourceTypes/<str:resource_type_id>": Row(
        SCIM_ONLY, token=True, kwargs=lambda w: {"resource_type_id": "User"}),
    "scim/v2/.search": Row(SCIM_ONLY, method="post", token=True),
    "scim/v2/Users": Row(SCIM_ONLY, token=True),
    "scim/v2/Users/<str:scim_id>": Row(SCIM_ONLY, token=True, kwargs=lambda w: SOME_ID),
    "scim/v2/Groups": Row(SCIM_ONLY, token=True),
    "scim/v2/Groups/<str:scim_id>": Row(SCIM_ONLY, token=True, kwargs=lambda w: SOME_ID),
    "scim/v2/<path:unknown>": Row(SCIM_ONLY, token=True, kwargs=lambda w: {"unknown": "Me"}),
}
