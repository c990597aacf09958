"""The JSON API (/api/v1/): people call it with personal access tokens, integrations with a
service token. The certificate PDF follows the download page's rule; reports are for service
tokens only; a service token has no "me"."""
from tests.authz_rows import ROLES, Row, everyone, signed_in

STAFF_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 403}
PERSONAL = {"anonymous": 401, **dict.fromkeys(ROLES[1:], 200), "service": 403}
SERVICE_ONLY = {"anonymous": 401, **dict.fromkeys(ROLES[1:], 403), "service": 200}


def objects(world):
    from accounts.models import AccessToken
    from accounts.tokens import PERSONAL_SCOPES, personal_token_create, service_token_create

    tokens = {role: personal_token_create(user=world[role], name=f"{role} matrix",
                                          scopes=list(PERSONAL_SCOPES)).secret
              for role in ROLES[1:]}
    tokens["service"] = service_token_create(
        actor=world["administrator"], name="HR sync",
        scopes=[AccessToken.Scope.REPORTS, AccessToken.Scope.CATALOG]).secret
    clinician_token = world["clinician"].access_tokens.get()
    return {"api_tokens": tokens, "api_clinician_token": clinician_token,
            "api_service_token": AccessToken.objects.get(kind=AccessToken.Kind.SERVICE)}


ROWS: dict[str, Row] = {
    "api/v1/openapi.json": Row(everyone(200)),
    "api/v1/docs": Row(everyone(200)),
    "api/v1/": Row(everyone(404)),
    "api/v1/catalog": Row({**everyone(200), "service": 200}, token=True),
    "api/v1/me": Row(PERSONAL, token=True),
    "api/v1/me/transcript": Row(PERSONAL, token=True),
    "api/v1/me/certificates": Row(PERSONAL, token=True),
    "api/v1/me/requirements": Row(PERSONAL, token=True),
    # As the download page: the owner, and administrators (the CME office answers "where is
    # my certificate?"); nobody else learns it exists.
    "api/v1/me/certificates/<certificate_id>/pdf": Row(
        {"anonymous": 401, "clinician": 200, "other_clinician": 404, "educator": 404,
         "administrator": 200, "service": 403},
        kwargs=lambda w: {"certificate_id": w["certificate"].pk}, token=True),
    "api/v1/reports/credit-records": Row(SERVICE_ONLY, token=True),
    "api/v1/reports/completions": Row(SERVICE_ONLY, token=True),
    "api/v1/reports/courses/<course_id>/participation": Row(
        SERVICE_ONLY, kwargs=lambda w: {"course_id": w["certificate_course"].pk}, token=True),
}

# The token pages: a person's own under the profile, service tokens for the CME office.
ROWS.update({
    "accounts/profile/tokens/new/": Row(signed_in(200)),
    "accounts/profile/tokens/<int:pk>/revoke/": Row(
        {"anonymous": "login", "clinician": "redirect", "other_clinician": 404, "educator": 404,
         "administrator": 404},
        method="post", kwargs=lambda w: {"pk": w["api_clinician_token"].pk}),
    "review/integrations/tokens/": Row({**STAFF_ONLY, "administrator": 200}),
    "review/integrations/tokens/<int:pk>/revoke/": Row(
        {**STAFF_ONLY, "administrator": "redirect"}, method="post",
        kwargs=lambda w: {"pk": w["api_service_token"].pk}),
})
