"""The learner's Comprehensive Learner Record (1EdTech CLR Standard 2.0): one ClrCredential,
signed as a VC-JWT with the portal's key, bundling every achievement the portal has certified
for them — each course certificate's Open Badges credential (its latest version, revoked ones
included: their status-list bit says so), each pathway's, and each validated skills checklist
(a Competency achievement, signed when the record is made, valid until the validation expires)
— as enveloped credentials beside the achievements they name (ClrSubject.achievement and
ClrSubject.verifiableCredential, CLR 2.0 §B.1.4 and §B.1.5)."""
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
    OB_SCHEMA,
    VC_CONTEXT,
    identity_hash,
    issuer_id,
    issuer_profile,
    sign,
)
from credits.checklists.models import LearnerChecklist
from credits.checklists.selectors import validated_skill_counts
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


def _utc_day(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def competency_credential_payload(*, record: LearnerChecklist, skills: int, salt: str) -> dict:
    """An OpenBadgeCredential for one completed checklist cycle with `skills` validated, valid
    until the validation expires."""
    checklist = record.checklist
    # The checklist has no public page to name it by: stable URNs derived from the portal's
    # address and the rows, the same in every record the learner downloads.
    checklist_name = f"{settings.SITE_URL}/checklists/{checklist.pk}"
    achievement_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, checklist_name)}"
    credential_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{checklist_name}#{record.pk}')}"
    payload = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{checklist.title}: competency validated",
        "issuer": issuer_profile(),
        "validFrom": _utc_day(record.completed_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": record.learner.display_name,
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "salt": salt,
                            "identityHash": identity_hash(record.learner.email, salt)}],
            "achievement": {
                "id": achievement_id, "type": ["Achievement"], "achievementType": "Competency",
                "name": checklist.title,
                "description": checklist.description or checklist.title,
                "criteria": {"narrative": (
                    f"Every skill of version {record.version.number} of the checklist "
                    "observed and validated by a validator the CME office or the unit manager "
                    f"authorised; {skills} skills validated.")}},
            "activityEndDate": _utc_day(record.completed_on),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "iss": issuer_id(),
        "jti": credential_id,
        "nbf": int(datetime.datetime.combine(record.completed_on, datetime.time(),
                                             tzinfo=datetime.UTC).timestamp()),
    }
    if record.expires_on:
        payload["validUntil"] = _utc_day(record.expires_on)
        payload["exp"] = int(datetime.datetime.combine(record.expires_on, datetime.time(),
                                                       tzinfo=datetime.UTC).timestamp())
    return payload


def learner_credentials(*, user: User, salt: str) -> list[str]:
    """The signed credentials of every certificate of the learner: courses (latest version of
    each, revoked included), then pathways, then validated checklists, oldest first."""
    latest: dict[int, CertificateCredential] = {}
    for entry in (CertificateCredential.objects.filter(certificate__user=user)
                  .order_by("certificate_id", "version")):
        latest[entry.certificate_id] = entry
    courses = sorted(latest.values(), key=lambda entry: (entry.issued_at, entry.pk))
    pathways = PathwayCertificate.objects.filter(enrolment__user=user).order_by("created_at")
    competencies = list(LearnerChecklist.objects
                        .filter(learner=user, status=LearnerChecklist.Status.COMPLETED)
                        .select_related("checklist", "version", "learner")
                        .order_by("completed_on", "pk"))
    skills = validated_skill_counts([record.pk for record in competencies])
    return ([entry.token for entry in courses] + [c.credential for c in pathways]
            + [sign(competency_credential_payload(record=record, skills=skills[record.pk],
                                                  salt=salt))
               for record in competencies])


def clr_payload(*, user: User, now: datetime.datetime) -> dict:
    salt = new_identity_salt()
    tokens = learner_credentials(user=user, salt=salt)
    record_id = f"urn:uuid:{uuid.uuid4()}"
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": record_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Comprehensive Learner Record: {user.display_name}",
        "description": f"Every activity with credit, pathway completed and competency validated at "
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
