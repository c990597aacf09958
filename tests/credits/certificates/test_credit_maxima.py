"""The designated maximum of each credit type is part of the certificate's snapshot: the Open
Badges credential states it without reading the course, a regeneration refreshes it, and the
migration added it to certificates issued before."""
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from joserfc import jws
from joserfc.jwk import KeySet

from credits.models import Certificate, CertificateCredential
from tests.credits.certificates.certificate_helpers import (
    claim_credit,
    make_course,
    tasks_run_in_process,  # noqa: F401  (a fixture)
)
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("tasks_run_in_process")


def _achievement(client, certificate: Certificate) -> dict:
    """The achievement of the certificate's credential, verified with the published key."""
    credential = CertificateCredential.objects.get(certificate=certificate,
                                                   version=certificate.version)
    keys = KeySet.import_key_set(client.get(reverse("certificates:credential_jwks")).json())
    payload = json.loads(jws.deserialize_compact(credential.token, keys,
                                                 algorithms=["ES256"]).payload)
    return payload["credentialSubject"]["achievement"]


def test_the_credential_states_each_maximum_from_the_snapshot(
        client, clinician, django_capture_on_commit_callbacks):
    course = make_course()
    course.credit_designations.create(credit_type="abim_moc", max_credits=Decimal("2.00"))
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course, amount="1.25")
        claim_credit(clinician, course, credit_type="abim_moc", amount="1.25")
    certificate = Certificate.objects.get()
    assert [(c["credit_type"], c["amount"], c["maximum"]) for c in certificate.credits] == [
        ("ama_pra_1", "1.25", "1.50"), ("abim_moc", "1.25", "2.00")]
    achievement = _achievement(client, certificate)
    assert [d["valueMax"] for d in achievement["resultDescription"]] == ["1.50", "2.00"]
    assert achievement["creditsAvailable"] == 2.0


def test_a_regeneration_takes_the_course_s_new_maximum(
        admin_user, client, django_capture_on_commit_callbacks):
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(UserFactory(), course, amount="1.00")
    course.credit_designations.update(max_credits=Decimal("2.00"))
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/review/courses/{course.pk}/certificates/").status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.version == 2 and certificate.credits[0]["maximum"] == "2.00"
    assert _achievement(client, certificate)["resultDescription"][0]["valueMax"] == "2.00"
    assert "maximum of 2.00" in certificate.credit_statement


def test_the_migration_adds_the_maximum_to_earlier_certificates(
        clinician, django_capture_on_commit_callbacks):
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course)
    before = [{"credit_type": "ama_pra_1", "amount": "1.50",
               "wording": "AMA PRA Category 1 Credits™"},
              {"credit_type": "nursing_contact", "amount": "1.00", "wording": "contact hours"}]
    Certificate.objects.update(credits=before)
    migration = importlib.import_module("credits.migrations.0014_certificate_credit_maxima")

    migration.add_maxima(apps, None)
    after = Certificate.objects.get().credits
    # The course designates AMA credit only: the other type is left without a maximum.
    assert after == [before[0] | {"maximum": "1.50"}, before[1]]
    migration.add_maxima(apps, None)
    assert Certificate.objects.get().credits == after
