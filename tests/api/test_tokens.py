"""Access tokens: stored hashed, scoped, expiring, revocable, last use written sparingly; the
API never takes a session; rate limits per token answer 429 as JSON."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AccessToken
from accounts.tokens import (
    LAST_USED_STEP,
    access_token_revoke,
    personal_token_create,
    service_token_create,
    token_hash,
)
from tests.api.api_world import bearer

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_a_token_is_stored(clinician):
    created = personal_token_create(user=clinician, name="Board app", scopes=["transcript"])
    row = AccessToken.objects.get()
    assert created.secret.startswith("cpd_p_") and len(created.secret) > 40
    assert row.token_hash == token_hash(created.secret)
    stored = " ".join(str(value) for value in AccessToken.objects.values().get().values())
    assert created.secret not in stored


def test_a_token_reads_only_its_scopes(client, clinician):
    secret = personal_token_create(user=clinician, name="Transcript only",
                                   scopes=["transcript"]).secret
    assert client.get("/api/v1/me/transcript", **bearer(secret)).status_code == 200
    response = client.get("/api/v1/me/certificates", **bearer(secret))
    assert response.status_code == 403
    assert "'certificates' scope" in response.json()["message"]


def test_personal_tokens_cannot_hold_the_reports_scope(clinician, admin_user):
    with pytest.raises(ValidationError, match="cannot have the scope reports"):
        personal_token_create(user=admin_user, name="My reports", scopes=["reports"])
    with pytest.raises(ValidationError, match="Only the CME office"):
        service_token_create(actor=clinician, name="HR", scopes=["reports"])


def test_a_revoked_token_stops_working_at_once(client, clinician):
    created = personal_token_create(user=clinician, name="Old phone", scopes=["profile"])
    assert client.get("/api/v1/me", **bearer(created.secret)).status_code == 200
    access_token_revoke(token=created.token, actor=clinician)
    response = client.get("/api/v1/me", **bearer(created.secret))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "revoked or expired" in response.json()["message"]


def test_an_expired_token_stops_working(client, clinician):
    created = personal_token_create(user=clinician, name="Until Friday", scopes=["profile"],
                                    expires_on=timezone.localdate() + datetime.timedelta(days=3))
    assert client.get("/api/v1/me", **bearer(created.secret)).status_code == 200
    AccessToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(created.secret)).status_code == 401


def test_expiry_must_be_in_the_future(clinician):
    with pytest.raises(ValidationError, match="in the future"):
        personal_token_create(user=clinician, name="x", scopes=["profile"],
                              expires_on=timezone.localdate())


def test_a_deactivated_owner_takes_their_tokens_with_them(client, clinician):
    secret = personal_token_create(user=clinician, name="x", scopes=["profile"]).secret
    clinician.is_active = False
    clinician.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_last_use_is_written_once_per_step_not_per_call(client, clinician,
                                                        django_assert_num_queries):
    secret = personal_token_create(user=clinician, name="x", scopes=["profile"]).secret
    client.get("/api/v1/me", **bearer(secret))
    first = AccessToken.objects.get().last_used_at
    assert first is not None
    # Within the step: the token look-up, the owner's licences; no UPDATE.
    with django_assert_num_queries(2):
        client.get("/api/v1/me", **bearer(secret))
    assert AccessToken.objects.get().last_used_at == first
    AccessToken.objects.update(last_used_at=first - LAST_USED_STEP - datetime.timedelta(1))
    client.get("/api/v1/me", **bearer(secret))
    assert AccessToken.objects.get().last_used_at > first


def test_the_api_ignores_the_session(client, clinician):
    """Only tokens authenticate: a page in a signed-in browser cannot call the API."""
    client.force_login(clinician)
    response = client.get("/api/v1/me/transcript")
    assert response.status_code == 401


def test_a_service_token_has_no_me(client, admin_user):
    secret = service_token_create(actor=admin_user, name="HR", scopes=["reports"]).secret
    response = client.get("/api/v1/reports/completions", **bearer(secret))
    assert response.status_code == 200
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 403


def test_rate_limit_is_per_token_and_answers_429_json(client, clinician, other_clinician,
                                                      settings):
    settings.API_RATE_PER_MINUTE = 3
    mine = personal_token_create(user=clinician, name="x", scopes=["profile"]).secret
    theirs = personal_token_create(user=other_clinician, name="y", scopes=["profile"]).secret
    statuses = [client.get("/api/v1/me", **bearer(mine)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me", **bearer(mine))
    assert response["Content-Type"].startswith("application/json")
    assert "Too many requests" in response.json()["message"]
    assert 0 < int(response["Retry-After"]) <= 60
    assert client.get("/api/v1/me", **bearer(theirs)).status_code == 200


def test_errors_are_json_with_a_message(client, clinician):
    secret = personal_token_create(user=clinician, name="x", scopes=["transcript",
                                                                     "certificates"]).secret
    cases = {
        "/api/v1/me/transcript?start=2026-05-01&end=2026-01-01": 422,
        "/api/v1/me/transcript?start=yesterday": 422,
        "/api/v1/me/transcript?sinse=2026-01-01": 422,
        "/api/v1/me/certificates/987654/pdf": 404,
        "/api/v1/nothing/here": 404,
        "/api/v1/": 404,
        "/api/v2/me": 404,
        "/api/v1/me": 403,
    }
    for url, status in cases.items():
        response = client.get(url, **bearer(secret))
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["message"], url
    refused = client.post("/api/v1/me/transcript", **bearer(secret))
    assert refused.status_code == 405 and "only reads" in refused.json()["message"]
