"""Deactivating an account signs that person out on every device and revokes their tokens,
leaving everyone else signed in."""
import pytest
from django.contrib.sessions.models import Session

from accounts.services import user_deactivate, user_reactivate
from accounts.tokens import access_token_authenticate, personal_token_create


@pytest.mark.django_db
def test_deactivation_ends_only_that_persons_sessions_and_tokens(client, clinician,
                                                                 other_clinician):
    client.force_login(clinician)
    type(client)().force_login(clinician)  # a second device
    type(client)().force_login(other_clinician)
    secret = personal_token_create(user=clinician, name="Phone", scopes=["transcript"]).secret
    ended = user_deactivate(user=clinician)
    assert (ended.sessions_ended, ended.tokens_revoked) == (2, 1)
    assert [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()] == [
        str(other_clinician.pk)]
    assert access_token_authenticate(secret=secret) is None
    assert client.get("/learning/").status_code == 302  # sent to sign in
    assert user_deactivate(user=clinician) == type(ended)(sessions_ended=0, tokens_revoked=0)
    user_reactivate(user=clinician)
    clinician.refresh_from_db()
    assert clinician.is_active and access_token_authenticate(secret=secret) is None
