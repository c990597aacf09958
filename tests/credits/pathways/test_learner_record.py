"""The Comprehensive Learner Record (CLR 2.0) verifies with an independent JOSE library (PyJWT;
the portal signs with joserfc) against the keys the portal serves, lists each achievement, and
shows a revoked certificate's entry as revoked (its status-list bit, read from the served list)."""
import base64
import gzip
import json

import jwt
import pytest
from django.urls import reverse

from credits.checklists.services import learner_checklist_open
from credits.models import Certificate, CreditRecord
from credits.pathways.services import external_step_record, pathway_join
from tests.credits.certificates.certificate_helpers import (  # noqa: F401
    claim_credit,
    make_course,
    tasks_run_in_process,
    void_credit,
)
from tests.credits.checklists.helpers import make_checklist
from tests.credits.pathways.helpers import claim_credit as claim
from tests.credits.pathways.helpers import complete_module, make_track, validate_every_skill
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_in_process")]
SITE = "http://127.0.0.1:8000"


def _verified(client, token: str) -> dict:
    """PyJWT, with the key the token's kid names in the JWKS the portal serves."""
    keys = jwt.PyJWKSet.from_dict(client.get(reverse("certificates:credential_jwks")).json())
    kid = jwt.get_unverified_header(token)["kid"]
    [key] = [key for key in keys.keys if key.key_id == kid]
    return jwt.decode(token, key=key, algorithms=["ES256", "EdDSA"],
                      options={"verify_aud": False, "require": ["iss", "nbf"]})


def _revoked(client, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    status_list = _verified(client, client.get(
        entry["statusListCredential"].removeprefix(SITE)).content.decode())
    encoded = status_list["credentialSubject"]["encodedList"][1:]  # multibase "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


@pytest.fixture
def record_holder(clinician, educator, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, make_course(title="Medical Grand Rounds: Sepsis Recognition"))
        mistaken = claim_credit(clinician, make_course(title="Airway Simulation Workshop"))
    with django_capture_on_commit_callbacks(execute=True):
        void_credit(CreditRecord.objects.get(pk=mistaken.pk), by=admin_user)
    track = make_track(educator)
    enrolment = pathway_join(pathway=track.pathway, user=clinician)
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(clinician, track.module)
        claim(clinician, track.live)
        claim(clinician, track.drill)
        external_step_record(enrolment=enrolment, step=track.external_step,
                             completed_on=enrolment.started_on)
    competencies = make_checklist(owner=educator, skills=3, title="Central-line care")
    with django_capture_on_commit_callbacks(execute=True):
        validate_every_skill(learner_checklist_open(checklist=competencies, learner=clinician),
                             UserFactory(full_name="Grace Okafor", degree="RN"))
    return clinician


def test_the_learner_record_verifies_independently_and_lists_each_achievement(
        client, record_holder):
    assert Certificate.objects.filter(user=record_holder, status="revoked").count() == 1
    client.force_login(record_holder)
    response = client.get(reverse("pathways:learner_record"))
    assert response["Content-Type"] == "application/vc+jwt"
    record = _verified(client, response.content.decode())
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json" in record["@context"]
    subject = record["credentialSubject"]
    assert subject["type"] == ["ClrSubject"] and record["partial"] is False
    # Each certified achievement: four activities with credit (one revoked), then the pathway
    # (the module it included gave no credit, so no certificate of its own).
    names = [a["name"] for a in subject["achievement"]]
    assert sorted(names[:4]) == ["Airway Simulation Workshop",
                                 "Medical Grand Rounds: Sepsis Recognition",
                                 "Sepsis Bundle Drill", "Sepsis Grand Rounds: the first hour"]
    assert names[4:] == ["Sepsis champion track", "Central-line care"]
    assert record_holder.email not in response.content.decode()

    entries = {}
    for enveloped in subject["verifiableCredential"]:
        assert enveloped["type"] == "EnvelopedVerifiableCredential"
        credential = _verified(client, enveloped["id"].removeprefix("data:application/vc+jwt,"))
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        entries[credential["credentialSubject"]["achievement"]["name"]] = credential
    assert _revoked(client, entries["Airway Simulation Workshop"]) is True
    assert _revoked(client, entries["Medical Grand Rounds: Sepsis Recognition"]) is False
    pathway = entries["Sepsis champion track"]["credentialSubject"]["achievement"]
    assert pathway["achievementType"] == "LearningProgram"
    competency = entries["Central-line care"]
    assert competency["credentialSubject"]["achievement"]["achievementType"] == "Competency"
    assert "3 skills validated" in (
        competency["credentialSubject"]["achievement"]["criteria"]["narrative"])
    # Valid until the validation expires: a year after it was completed (make_checklist).
    assert competency["validUntil"] > competency["validFrom"]


def test_a_changed_record_fails_verification(client, record_holder):
    client.force_login(record_holder)
    token = client.get(reverse("pathways:learner_record")).content.decode()
    header, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["achievement"].append({"name": "Made up"})
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    with pytest.raises(jwt.InvalidSignatureError):
        _verified(client, f"{header}.{forged}.{signature}")
