"""Front door, health, allauth, profile and licences."""
from tests.authz_rows import ROLES, Row, everyone, owner_only, signed_in
from tests.factories import LicenceFactory


def objects(world):
    return {"licence": LicenceFactory(user=world["clinician"])}


ROWS: dict[str, Row] = {
    "": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "healthz": Row(everyone(200)),
    # allauth: sign-in, sign-up and recovery are open; the rest needs a signed-in user.
    "accounts/login/": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "accounts/logout/": Row({"anonymous": "redirect", **dict.fromkeys(ROLES[1:], 200)}),
    "accounts/inactive/": Row(everyone(200)),
    "accounts/signup/": Row({"anonymous": 200, **dict.fromkeys(ROLES[1:], "redirect")}),
    "accounts/reauthenticate/": Row(signed_in(200)),
    # Reauthentication by a code emailed to the person's verified address (allauth 65.22): the
    # request page is theirs once signed in; the confirm page without a requested code goes back
    # to the request page.
    "accounts/reauthenticate/code/": Row(signed_in(200)),
    "accounts/reauthenticate/code/confirm/": Row(signed_in("redirect")),
    "accounts/email/": Row(signed_in(200)),
    "accounts/confirm-email/": Row(everyone(200)),
    "accounts/password/change/": Row(signed_in(200)),
    "accounts/password/set/": Row(signed_in("redirect")),
    "accounts/password/reset/": Row(everyone(200)),
    "accounts/login/code/confirm/": Row(signed_in("redirect")),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Row(everyone(200),
                                                       kwargs=lambda w: {"key": "not-a-key"}),
    "accounts/password/reset/key/done/": Row(everyone(200)),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Row(
        everyone(200), kwargs=lambda w: {"uidb36": "0", "key": "set-password"}),
    "accounts/password/reset/done/": Row(everyone(200)),
    "accounts/2fa/": Row(signed_in(200)),
    "accounts/2fa/authenticate/": Row(signed_in("redirect")),
    # Staff fixtures have TOTP set up; clinicians have none, so there is nothing to show them.
    "accounts/2fa/reauthenticate/": Row({"anonymous": "login", "clinician": "redirect",
                                         "other_clinician": "redirect", "educator": 200,
                                         "administrator": 200}),
    "accounts/2fa/totp/activate/": Row(signed_in("redirect")),
    "accounts/2fa/totp/deactivate/": Row({"anonymous": "login", "clinician": 404,
                                          "other_clinician": 404, "educator": "redirect",
                                          "administrator": "redirect"}),
    "accounts/2fa/recovery-codes/": Row(signed_in(404)),
    "accounts/2fa/recovery-codes/generate/": Row(signed_in("redirect")),
    "accounts/2fa/recovery-codes/download/": Row(signed_in(404)),
    # Profile and licences: each person sees only their own.
    "accounts/profile/": Row(signed_in(200)),
    "accounts/profile/licences/new/": Row(signed_in(200)),
    "accounts/profile/licences/<int:pk>/": Row(owner_only(200),
                                               kwargs=lambda w: {"pk": w["licence"].pk}),
    "accounts/profile/licences/<int:pk>/delete/": Row(
        owner_only("redirect"), method="post", kwargs=lambda w: {"pk": w["licence"].pk}),
}
