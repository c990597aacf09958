"""A completed pathway as an Open Badges 3.0 credential (an OpenBadgeCredential secured as a
VC-JWT, signed with the portal's one key, as course certificates are: docs/certificates.md).
The achievement is the pathway itself (achievementType LearningProgram) with the rules the
learner met as its criteria, and each step completed as evidence."""
import datetime

from django.conf import settings
from django.urls import reverse

from credits.certificates.openbadges.credential import (
    OB_CONTEXT,
    OB_SCHEMA,
    VC_CONTEXT,
    identity_hash,
    issuer_id,
    issuer_profile,
    sign,
)
from credits.pathways.models import PathwayCertificate


def pathway_achievement(certificate: PathwayCertificate) -> dict:
    pathway = certificate.enrolment.pathway
    return {
        "id": settings.SITE_URL + reverse("pathways:pathway", kwargs={"slug": pathway.slug})
        + f"#version-{certificate.version_number}",
        "type": ["Achievement"],
        "achievementType": "LearningProgram",
        "name": certificate.pathway_title,
        "description": pathway.summary,
        "criteria": {"narrative": certificate.criteria},
        "version": str(certificate.version_number),
        "fieldOfStudy": "Continuing professional development",
    }


def _day(day: datetime.date) -> str:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).isoformat(
        ).replace("+00:00", "Z")


def pathway_credential_payload(certificate: PathwayCertificate,
                               issued_at: datetime.datetime) -> dict:
    credential_id = settings.SITE_URL + reverse(
        "pathways:pathway_credential", kwargs={"uuid": certificate.credential_uuid})
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.pathway_title}: pathway completed",
        "description": f"Completion of a learning pathway of {settings.CREDENTIAL_ISSUER_NAME}.",
        "issuer": issuer_profile(),
        "validFrom": issued_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "awardedDate": _day(certificate.issue_date),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.learner_name,
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "salt": certificate.identity_salt,
                            "identityHash": identity_hash(certificate.enrolment.user.email,
                                                          certificate.identity_salt)}],
            "achievement": pathway_achievement(certificate),
            "activityStartDate": _day(certificate.started_on),
            "activityEndDate": _day(certificate.completion_date),
        },
        "evidence": [
            {"id": certificate.verification_url, "type": ["Evidence"],
             "name": "Certificate verification page",
             "narrative": f"Verification code {certificate.code_display}."},
            *({"type": ["Evidence"], "name": step["title"],
               "description": f"{step['kind']}, completed {step['completed_on']}"}
              for step in certificate.steps),
        ],
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "iss": issuer_id(),
        "jti": credential_id,
        "nbf": int(issued_at.timestamp()),
    }


def pathway_credential_sign(certificate: PathwayCertificate,
                            issued_at: datetime.datetime) -> str:
    return sign(pathway_credential_payload(certificate, issued_at))
