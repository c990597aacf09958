"""The learner's Comprehensive Learner Record (1EdTech CLR Standard 2.0): one ClrCredential,
signed as a VC-JWT with the portal's key, bundling every achievement the portal has certified
for them — each course certificate's Open Badges credential (its latest version, revoked ones
included: their status-list bit says so) and each pathway's — as enveloped credentials beside
the achievements they name (ClrSubject.achievement and ClrSubject.verifiableCredential, CLR 2.0
§B.1.4 and §B.1.5)."""
import base64
import datetime
import json
import uuid

from django.conf import settings

from accounts.models import User
from credits.certificates.models import CertificateCredential, new_identity_salt
from credits.certificates.openbadges.credential import (
    MEDIA_TYPE,
    OB_CONTEXT,
    VC_CONTEXT,
    identity_hash,
    issuer_id,
    issuer_profile,
    sign,
)
from credits.pathways.models import PathwayCertificate

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_SCHEMA = ("https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
              "clr_v2p0_clrcredential_schema.json")


def _claims(token: str) -> dict:
    """The payload of a credential the portal itself signed (read, not verified: it is ours)."""
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _enveloped(token: str) -> dict:
    return {"@context": [VC_CONTEXT], "id": f"data:{MEDIA_TYPE},{token}",
            "type": "EnvelopedVerifiableCredential"}


def learner_credentials(*, user: User) -> list[str]:
    """The signed credentials of every certificate of the learner: courses (latest version of
    each, revoked included) then pathways, oldest first."""
    latest: dict[int, CertificateCredential] = {}
    for entry in (CertificateCredential.objects.filter(certificate__user=user)
                  .order_by("certificate_id", "version")):
        latest[entry.certificate_id] = entry
    courses = sorted(latest.values(), key=lambda entry: (entry.issued_at, entry.pk))
    pathways = PathwayCertificate.objects.filter(enrolment__user=user).order_by("created_at")
    return [entry.token for entry in courses] + [c.credential for c in pathways]


def clr_payload(*, user: User, now: datetime.datetime) -> dict:
    tokens = learner_credentials(user=user)
    salt = new_identity_salt()
    record_id = f"urn:uuid:{uuid.uuid4()}"
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": record_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Comprehensive Learner Record: {user.display_name}",
        "description": f"Every activity with credit and every pathway completed at "
                       f"{settings.CREDENTIAL_ISSUER_NAME}, as of "
                       f"{now.astimezone(datetime.UTC):%Y-%m-%d}.",
        "partial": False,
        "issuer": issuer_profile(),
        "validFrom": now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "salt": salt,
                            "identityHash": identity_hash(user.email, salt)}],
            "achievement": [_claims(token)["credentialSubject"]["achievement"]
                            for token in tokens],
            "verifiableCredential": [_enveloped(token) for token in tokens],
        },
        "credentialSchema": [{"id": CLR_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "iss": issuer_id(),
        "jti": record_id,
        "nbf": int(now.timestamp()),
    }


def clr_sign(*, user: User, now: datetime.datetime) -> str:
    return sign(clr_payload(user=user, now=now))
