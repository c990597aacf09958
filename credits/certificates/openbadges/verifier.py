"""Verify a credential someone uploads: the signature against the published key set, the claims
OB 3.0 asks verifiers to compare, the validity period and the status list entry.

Each outcome carries a message in plain words for the verification page.
"""
from __future__ import annotations

import base64
import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from credits.certificates.openbadges.credential import issuer_id, key_url, published_key_set
from credits.certificates.openbadges.keys import signing_algorithm
from credits.certificates.openbadges.selectors import (
    certificate_credential_by_uuid,
    certificate_credential_state,
)

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
ENVELOPE_PREFIX = "data:application/vc+jwt,"


@dataclass
class Verdict:
    outcome: str  # valid, revoked, replaced, tampered, not_ours, expired, unreadable
    message: str
    credential: dict = field(default_factory=dict)
    entry: object = None

    @property
    def is_valid(self) -> bool:
        return self.outcome == "valid"


def _unreadable(detail: str) -> Verdict:
    return Verdict("unreadable", f"{detail} Upload the .jwt or .json file you downloaded from "
                                 "the portal, unchanged.")


def _b64json(part: str) -> dict:
    value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def compact_token(data: bytes) -> str | Verdict:
    """The compact JWS in an uploaded file: a .jwt, or the JSON EnvelopedVerifiableCredential."""
    try:
        text = data.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError:
        return _unreadable("This file is not text, so it cannot be a credential.")
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return _unreadable("This file is not valid JSON.")
        if not isinstance(document, dict):
            return _unreadable("This JSON file does not hold a credential.")
        envelope = str(document.get("id", ""))
        if envelope.startswith(ENVELOPE_PREFIX):
            text = envelope[len(ENVELOPE_PREFIX):]
        elif "credentialSubject" in document:
            return Verdict("tampered", "This credential carries no signature the portal can "
                           "check: it is not the signed file the portal issued. Download the "
                           "credential again from the certificate's verification page.")
        else:
            return _unreadable("This JSON file does not hold an Open Badges credential.")
    if not COMPACT_JWS.match(text):
        return _unreadable("This file does not hold a signed credential (VC-JWT).")
    return text


def _entry_uuid(credential_id: str):
    if not credential_id.startswith(settings.SITE_URL + "/"):
        return None
    try:
        match = resolve(urlparse(credential_id).path)
    except Resolver404:
        return None
    if match.view_name != "certificates:credential_by_id":
        return None
    return match.kwargs["uuid"]


def _instant(value) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def credential_verify(*, data: bytes) -> Verdict:
    token = compact_token(data)
    if isinstance(token, Verdict):
        return token
    header_part, payload_part, _signature = token.split(".")
    try:
        header, claims = _b64json(header_part), _b64json(payload_part)
    except (ValueError, UnicodeDecodeError):
        return _unreadable("This file looks like a token but its parts cannot be read.")
    issuer = claims.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id() not in (issuer, claims.get("iss")):
        name = (claims.get("issuer") or {}).get("name") if isinstance(
            claims.get("issuer"), dict) else None
        return Verdict("not_ours", "This credential was not issued by "
                       f"{settings.CREDENTIAL_ISSUER_NAME}"
                       + (f" (it names {name} as issuer)" if name else "")
                       + ". Verify it with the organisation that issued it.", claims)
    if header.get("alg") != signing_algorithm():
        return Verdict("tampered", "This credential is not signed the way the portal signs "
                       f"(algorithm {header.get('alg') or 'none'}), so it cannot be trusted.",
                       claims)
    if header.get("kid") != key_url():
        return Verdict("not_ours", "This credential names a signing key the portal does not "
                       "publish, so it was not signed by us.", claims)
    try:
        verified = jws.deserialize_compact(token, KeySet.import_key_set(published_key_set()),
                                           algorithms=[signing_algorithm()])
        credential = json.loads(verified.payload)
    except (JoseError, ValueError):
        return Verdict("tampered", "The signature does not match the content: this credential "
                       "was changed after it was issued, so it cannot be trusted.", claims)
    valid_from = _instant(credential.get("validFrom"))
    if (credential.get("jti") != credential.get("id")
            or credential.get("iss") != issuer_id()
            or valid_from is None or credential.get("nbf") != int(valid_from.timestamp())):
        return Verdict("tampered", "The credential's claims disagree with each other, so it "
                       "cannot be trusted.", credential)
    now = timezone.now()
    valid_until = _instant(credential.get("validUntil")) if credential.get("validUntil") else None
    if valid_until and valid_until < now:
        return Verdict("expired", f"This credential expired on {valid_until:%-d %B %Y}.",
                       credential)
    if valid_from > now:
        return Verdict("expired", "This credential is not valid yet.", credential)
    uuid = _entry_uuid(str(credential.get("id", "")))
    entry = certificate_credential_by_uuid(uuid=uuid) if uuid else None
    if entry is None:
        return Verdict("not_ours", "The portal has no record of this credential.", credential)
    entry = certificate_credential_state(entry_id=entry.pk)
    certificate = entry.certificate
    if entry.is_set and certificate.status == certificate.Status.REVOKED:
        revoked = timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None
        return Verdict("revoked", f"This certificate was revoked by "
                       f"{settings.CREDENTIAL_ISSUER_NAME}"
                       + (f" on {revoked:%-d %B %Y}" if revoked else "")
                       + ". It is no longer valid.", credential, entry)
    if entry.is_set:
        return Verdict("replaced", f"This is version {entry.version} of the certificate, which "
                       f"was reissued as version {certificate.version} (for example after a "
                       "credit correction). Ask for the current credential.", credential, entry)
    return Verdict("valid", f"The signature is valid: {settings.CREDENTIAL_ISSUER_NAME} issued "
                   "this credential, it was not changed, and it has not been revoked.",
                   credential, entry)
