"""The Open Badges 3.0 credential of a certificate and the status list credential, as VC-JWTs.

The payload is the credential itself (VC-JOSE-COSE: no `vc` claim), with the registered JWT
claims OB 3.0 asks verifiers to compare (`iss`, `jti`, `nbf`). Everything printed comes from the
certificate's stored snapshot, never from the course as it is today.
"""
from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from joserfc import jws

from courses.credit_types import CreditType
from credits.certificates.models import STATUS_LIST_SIZE, Certificate, CertificateCredential
from credits.certificates.openbadges.keys import (
    key_id,
    public_jwk,
    signing_algorithm,
    signing_key,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "ob_v3p0_achievementcredential_schema.json")
MEDIA_TYPE = "application/vc+jwt"
STATUS_LIST_TTL_SECONDS = 300


def site_url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"certificates:{name}", kwargs=kwargs)


def issuer_id() -> str:
    return site_url("credential_issuer")


def key_url() -> str:
    return site_url("credential_key", kid=key_id())


def published_key_set() -> dict:
    """The JWKS at /credentials/jwks.json: each key's `kid` is the URL a JWS header names, so a
    verifier finds it in the set or dereferences the URL (OB 3.0 "kid")."""
    return {"keys": [public_jwk(kid=key_url())]}


def status_list_url(number: int) -> str:
    return site_url("credential_status_list", number=number)


def issuer_profile() -> dict:
    """The OB 3.0 Profile of the CME office that signs (also published at its id)."""
    profile = {"id": issuer_id(), "type": ["Profile"], "name": settings.CREDENTIAL_ISSUER_NAME,
               "url": settings.SITE_URL + "/"}
    if settings.CREDENTIAL_ISSUER_EMAIL:
        profile["email"] = settings.CREDENTIAL_ISSUER_EMAIL
    return profile


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: sha256 of the address and the salt, never the address."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def _achievement(certificate: Certificate) -> dict:
    course = certificate.course
    achievement_id = settings.SITE_URL + reverse("courses:detail", kwargs={"slug": course.slug})
    descriptions = []
    for credit in certificate.credits:
        description = {"id": f"{achievement_id}#credit-{credit['credit_type']}",
                       "type": ["ResultDescription"],
                       "name": credit["wording"],  # as printed: "1.00 ... Credit™"
                       "resultType": "Result"}
        if "maximum" in credit:  # the course's designation, in the certificate's snapshot
            description["valueMax"] = credit["maximum"]
        descriptions.append(description)
    maxima = [Decimal(credit["maximum"]) for credit in certificate.credits if "maximum" in credit]
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": certificate.activity_title,
        "description": course.summary or certificate.activity_title,
        "criteria": {"narrative": (
            f"Took part in {certificate.activity_title} ({certificate.activity_dates}), "
            "completed its evaluation and claimed credit from "
            f"{settings.CREDENTIAL_ISSUER_NAME}.")},
        "fieldOfStudy": "Continuing medical education",
        "resultDescription": descriptions,
    }
    if maxima:
        achievement["creditsAvailable"] = float(max(maxima))
    return achievement


def credential_payload(*, certificate: Certificate, entry: CertificateCredential) -> dict:
    """The OpenBadgeCredential of one certificate version, with the JWT claims beside it."""
    achievement = _achievement(certificate)
    credits = certificate.credits
    primary = next((c for c in credits if c["credit_type"] == CreditType.AMA_PRA_1),
                   credits[0] if credits else None)
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.learner_name,
        "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                        "hashed": True, "salt": entry.identity_salt,
                        "identityHash": identity_hash(certificate.user.email,
                                                      entry.identity_salt)}],
        "achievement": achievement,
        "activityEndDate": _day(certificate.completion_date),
        "result": [{"type": ["Result"], "resultDescription": description["id"],
                    "value": credit["amount"]}
                   for description, credit in zip(achievement["resultDescription"], credits,
                                                  strict=True)],
    }
    if primary:
        subject["creditsEarned"] = float(Decimal(primary["amount"]))
    status_url = status_list_url(entry.status_list)
    credential_id = site_url("credential_by_id", uuid=entry.uuid)
    payload = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.activity_title}: certificate of completion",
        "description": certificate.credit_statement or (
            f"Certificate of completion issued by {settings.CREDENTIAL_ISSUER_NAME}."),
        "issuer": issuer_profile(),
        "validFrom": _timestamp(entry.issued_at),
        "awardedDate": _day(certificate.issue_date),
        "credentialSubject": subject,
        "evidence": [{"id": certificate.verification_url, "type": ["Evidence"],
                      "name": "Certificate verification page",
                      "narrative": (f"Verification code {certificate.code_display}, version "
                                    f"{entry.version} of the certificate.")}],
        "credentialStatus": {"id": f"{status_url}#{entry.status_index}",
                             "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation",
                             "statusListIndex": str(entry.status_index),
                             "statusListCredential": status_url},
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "iss": issuer_id(),
        "jti": credential_id,
        "nbf": int(entry.issued_at.timestamp()),
    }
    return payload


def sign(payload: dict) -> str:
    """A compact JWS over the JSON payload: typ vc+jwt, kid the URL of the public JWK."""
    header = {"alg": signing_algorithm(), "typ": "vc+jwt", "kid": key_url()}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, body, signing_key(), algorithms=[header["alg"]])


def encoded_list(revoked_indexes) -> str:
    """Bitstring Status List encodedList: multibase base64url (prefix u, no padding) of the
    GZIP-compressed bitstring, index 0 the left-most bit of the first byte."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decoded_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_payload(*, number: int, revoked_indexes, now: datetime.datetime) -> dict:
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + datetime.timedelta(seconds=STATUS_LIST_TTL_SECONDS)),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_indexes),
                              "ttl": STATUS_LIST_TTL_SECONDS * 1000},
        "iss": issuer_id(),
        "jti": url,
        "nbf": int(now.timestamp()),
        "exp": int((now + datetime.timedelta(seconds=STATUS_LIST_TTL_SECONDS)).timestamp()),
    }
