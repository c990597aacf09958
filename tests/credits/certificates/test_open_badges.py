"""Certificates as Open Badges 3.0 credentials: signed VC-JWTs that joserfc verifies against the
published key set, a status list that follows revocation and reissue, and the upload verifier."""
import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import ECKey, KeySet

from credits.certificates.openbadges.credential import bit_is_set, decoded_list, sign
from credits.models import Certificate, CertificateCredential, CreditRecord
from tests.credits.certificates.certificate_helpers import (
    change_credit,
    claim_credit,
    make_course,
    tasks_run_in_process,  # noqa: F401  (a fixture)
    void_credit,
)

pytestmark = pytest.mark.usefixtures("tasks_run_in_process")


@pytest.fixture
def course(db):
    return make_course(title="Medical Grand Rounds: Sepsis Recognition")


@pytest.fixture
def issued(clinician, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course)
    certificate = Certificate.objects.get(user=clinician, course=course)
    assert certificate.status == Certificate.Status.READY
    return certificate


def _published_keys(client) -> KeySet:
    response = client.get(reverse("certificates:credential_jwks"))
    assert response["Content-Type"] == "application/jwk-set+json"
    return KeySet.import_key_set(response.json())


def _download(client, certificate) -> str:
    response = client.get(reverse("certificates:credential_jwt", kwargs={"pk": certificate.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode()


def _verified(client, token: str) -> dict:
    return json.loads(jws.deserialize_compact(token, _published_keys(client),
                                              algorithms=["ES256"]).payload)


def _parts(token: str) -> tuple[dict, dict]:
    def decode(part):
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    header, payload, _ = token.split(".")
    return decode(header), decode(payload)


def _encode(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _status_bit(client, credential: dict) -> bool:
    """Fetch the status list credential the entry names, verify it, read the entry's bit."""
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    path = entry["statusListCredential"].removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response["Content-Type"] == "application/vc+jwt"
    status_list = _verified(client, response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    bits = decoded_list(status_list["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 131_072  # the spec's minimum list size
    return bit_is_set(bits, int(entry["statusListIndex"]))


def _upload(client, content: bytes, name: str = "open-badge.jwt"):
    return client.post(reverse("certificates:credential_verify"),
                       {"credential": SimpleUploadedFile(name, content)})


def test_issued_certificate_is_an_open_badge_credential_that_verifies_with_the_published_key(
        client, issued, clinician, settings):
    client.force_login(clinician)
    token = _download(client, issued)
    header, _ = _parts(token)
    assert header["alg"] == "ES256" and header["typ"] == "vc+jwt"
    # The kid is a URL that dereferences to the public JWK (OB 3.0), the same as in the JWKS.
    key = client.get(header["kid"].removeprefix(settings.SITE_URL))
    assert key.status_code == 200 and "d" not in key.json()
    assert key.json()["kid"] == header["kid"]
    assert client.get(reverse("certificates:credential_jwks")).json() == {"keys": [key.json()]}

    credential = _verified(client, token)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "vc" not in credential  # VC-JOSE-COSE: the payload is the credential
    assert credential["jti"] == credential["id"] and credential["iss"] == credential["issuer"]["id"]
    issuer = client.get(credential["issuer"]["id"].removeprefix(settings.SITE_URL)).json()
    assert issuer["type"] == ["Profile"] and issuer["name"] == settings.CREDENTIAL_ISSUER_NAME
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["name"] == "Priya Raman, MD"
    identity = subject["identifier"][0]
    assert clinician.email not in token
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        (clinician.email + identity["salt"]).encode()).hexdigest()
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Medical Grand Rounds: Sepsis Recognition"
    assert achievement["creditsAvailable"] == 1.5 and subject["creditsEarned"] == 1.5
    assert subject["result"][0]["value"] == "1.50"
    assert achievement["resultDescription"][0]["name"] == "AMA PRA Category 1 Credits™"
    assert subject["activityEndDate"] == "2026-11-20T00:00:00Z"
    assert credential["evidence"][0]["id"] == issued.verification_url
    assert _status_bit(client, credential) is False
    # The id is a stable URL that serves this very credential.
    assert client.get(credential["id"].removeprefix(settings.SITE_URL)).content.decode() == token


def test_every_download_of_a_version_is_the_same_credential_issued_when_rendered(
        client, issued, clinician):
    assert issued.credentials.count() == 1  # issued by the render, before any download
    client.force_login(clinician)
    assert _download(client, issued) == _download(client, issued) == issued.credentials.get().token
    assert CertificateCredential.objects.count() == 1


def test_json_download_envelopes_the_signed_credential(client, issued, clinician):
    client.force_login(clinician)
    response = client.get(reverse("certificates:credential_json", kwargs={"pk": issued.pk}))
    assert response["Content-Type"] == "application/vc"
    assert response["Content-Disposition"].endswith('.json"')
    envelope = json.loads(response.content)
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    token = envelope["id"].removeprefix("data:application/vc+jwt,")
    assert _verified(client, token)["credentialSubject"]["name"] == "Priya Raman, MD"
    assert "Valid" in _upload(client, response.content, "badge.json").content.decode()


def test_only_the_owner_downloads_from_their_page_and_anyone_by_code(
        client, issued, other_clinician):
    client.force_login(other_clinician)
    url = reverse("certificates:credential_jwt", kwargs={"pk": issued.pk})
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    public = client.get(reverse("certificates:verify_credential_jwt",
                                kwargs={"code": issued.verification_code}))
    assert public.status_code == 200 and public.content.decode() == issued.credentials.get().token


def test_library_rejects_a_changed_payload_another_key_and_alg_none(client, issued, clinician):
    client.force_login(clinician)
    token = _download(client, issued)
    header, payload = _parts(token)
    signature = token.split(".")[2]
    payload["credentialSubject"]["creditsEarned"] = 50.0
    changed = f"{token.split('.')[0]}.{_encode(payload)}.{signature}"
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(changed, _published_keys(client), algorithms=["ES256"])
    forger = ECKey.generate_key("P-256")
    forged = jws.serialize_compact(header, json.dumps(payload).encode(), forger,
                                   algorithms=["ES256"])
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(forged, _published_keys(client), algorithms=["ES256"])
    none_header = _encode({"alg": "none", "typ": "vc+jwt", "kid": header["kid"]})
    unsigned = f"{none_header}.{_encode(payload)}."
    with pytest.raises(JoseError):
        jws.deserialize_compact(unsigned, _published_keys(client), algorithms=["ES256"])

    for bad in (changed, forged, unsigned):
        page = _upload(client, bad.encode()).content.decode()
        assert "Not genuine" in page and "Valid</span>" not in page


def test_revocation_sets_the_status_bit_and_the_verifier_says_revoked(
        client, issued, clinician, admin_user, django_capture_on_commit_callbacks):
    client.force_login(clinician)
    token = _download(client, issued)
    credential = _verified(client, token)
    assert _status_bit(client, credential) is False
    with django_capture_on_commit_callbacks(execute=True):
        void_credit(CreditRecord.objects.get(user=clinician), by=admin_user)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert _status_bit(client, credential) is True
    page = _upload(client, token.encode()).content.decode()
    assert "Revoked" in page and "no longer valid" in page
    # A revoked certificate is offered no more.
    assert client.get(reverse("certificates:credential_jwt",
                              kwargs={"pk": issued.pk})).status_code == 404
    assert client.get(reverse("certificates:verify_credential_jwt",
                              kwargs={"code": issued.verification_code})).status_code == 404


def test_reissue_replaces_the_old_credential_and_issues_a_new_one(
        client, issued, clinician, django_capture_on_commit_callbacks):
    client.force_login(clinician)
    old_token = _download(client, issued)
    with django_capture_on_commit_callbacks(execute=True):
        change_credit(CreditRecord.objects.get(user=clinician), amount="1.00")
    issued.refresh_from_db()
    assert issued.version == 2 and issued.status == Certificate.Status.READY
    new_token = _download(client, issued)
    assert new_token != old_token
    old, new = _verified(client, old_token), _verified(client, new_token)
    assert new["credentialSubject"]["result"][0]["value"] == "1.00"
    assert _status_bit(client, old) is True and _status_bit(client, new) is False
    assert "Replaced" in _upload(client, old_token.encode()).content.decode()
    assert "Valid</span>" in _upload(client, new_token.encode()).content.decode()


def test_credential_of_another_issuer_is_not_ours(client, issued, clinician):
    client.force_login(clinician)
    header, payload = _parts(_download(client, issued))
    payload["issuer"] = {"id": "https://cme.other-hospital.example/issuer", "type": ["Profile"],
                         "name": "Other Hospital CME"}
    payload["iss"] = payload["issuer"]["id"]
    header["kid"] = "https://cme.other-hospital.example/keys/1"
    other = jws.serialize_compact(header, json.dumps(payload).encode(),
                                  ECKey.generate_key("P-256"), algorithms=["ES256"])
    page = _upload(client, other.encode()).content.decode()
    assert "Not issued here" in page and "Other Hospital CME" in page


def test_expired_credential_is_reported_expired(client, issued, clinician):
    client.force_login(clinician)
    _, payload = _parts(_download(client, issued))
    payload["validUntil"] = "2026-01-01T00:00:00Z"
    page = _upload(client, sign(payload).encode()).content.decode()
    assert "Expired" in page and "expired on 1 January 2026" in page


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.jwt", "This file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "badge.png", "This file is not text"),
    (b"{not json", "badge.json", "not valid JSON"),
    (b'{"name": "Grand rounds"}', "badge.json", "does not hold an Open Badges credential"),
    (b"eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln", "badge.jwt", "its parts cannot be read"),
    (b"hello there", "notes.txt", "does not hold a signed credential"),
])
def test_upload_form_explains_bad_files(client, db, content, name, message):
    response = _upload(client, content, name)
    assert message in response.content.decode()
    assert "Valid</span>" not in response.content.decode()


def test_upload_form_refuses_a_missing_or_oversized_file(client, db, settings):
    response = client.post(reverse("certificates:credential_verify"), {})
    assert response.status_code == 400
    assert "Choose the credential file to check." in response.content.decode()
    settings.CREDENTIAL_UPLOAD_MAX_BYTES = 1024
    response = _upload(client, b"a" * 4096)
    assert response.status_code == 400 and "at most 1 KB" in response.content.decode()


def test_unsigned_credential_json_is_not_genuine(client, issued, clinician):
    client.force_login(clinician)
    _, payload = _parts(_download(client, issued))
    page = _upload(client, json.dumps(payload).encode(), "badge.json").content.decode()
    assert "Not genuine" in page and "carries no signature" in page


def test_upload_requires_the_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("certificates:credential_verify"),
        {"credential": SimpleUploadedFile("badge.jwt", b"x.y.z")})
    assert response.status_code == 403


def test_an_ed25519_key_signs_as_eddsa(client, issued, clinician, settings):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from credits.certificates.openbadges.services import certificate_credential_issue

    settings.CREDENTIAL_SIGNING_KEY = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    CertificateCredential.objects.all().delete()
    entry = certificate_credential_issue(certificate=issued)
    header, _ = _parts(entry.token)
    assert header["alg"] == "EdDSA"
    keys = client.get(reverse("certificates:credential_jwks")).json()
    assert keys["keys"][0]["crv"] == "Ed25519"
    with pytest.warns(Warning):  # joserfc flags EdDSA as deprecated by RFC 9864
        jws.deserialize_compact(entry.token, KeySet.import_key_set(keys), algorithms=["EdDSA"])
    assert "Valid</span>" in _upload(client, entry.token.encode()).content.decode()


def test_status_list_of_an_unused_number_is_not_found(client, db):
    assert client.get(reverse("certificates:credential_status_list",
                              kwargs={"number": 7})).status_code == 404
    assert client.get(reverse("certificates:credential_key",
                              kwargs={"kid": "not-our-key"})).status_code == 404


def test_status_list_is_served_in_fixed_queries_whatever_the_number_of_entries(
        client, issued, clinician, other_clinician, course, admin_user,
        django_assert_num_queries, django_capture_on_commit_callbacks):
    url = reverse("certificates:credential_status_list", kwargs={"number": 1})
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(other_clinician, course)
        void_credit(CreditRecord.objects.get(user=clinician), by=admin_user)
    assert CertificateCredential.objects.count() == 2
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
