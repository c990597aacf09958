"""A completed pathway's certificate (PDF with a QR code to its public verification page, once)
and its Open Badges 3.0 credential naming the pathway and the criteria met."""
import datetime
import io
import json
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from joserfc import jws
from joserfc.jwk import KeySet
from pypdf import PdfReader

from credits.pathways.models import PathwayCertificate, PathwayEnrolment
from credits.pathways.services import external_step_record, pathway_join
from tests.credits.certificates.certificate_helpers import tasks_run_in_process  # noqa: F401
from tests.credits.pathways.helpers import claim_credit, complete_module, make_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_in_process")]
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def completed(educator, clinician, django_capture_on_commit_callbacks):
    track = make_track(educator)
    enrolment = pathway_join(pathway=track.pathway, user=clinician, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(clinician, track.module, on=TODAY)
        claim_credit(clinician, track.live, on=TODAY)
        claim_credit(clinician, track.drill, on=TODAY + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        external_step_record(enrolment=enrolment, step=track.external_step,
                             completed_on=TODAY + datetime.timedelta(days=6),
                             today=TODAY + datetime.timedelta(days=6))
    return PathwayCertificate.objects.get(enrolment__user=clinician)


def test_completing_the_pathway_issues_one_certificate_rendered_and_emailed(completed,
                                                                            clinician):
    assert completed.status == PathwayCertificate.Status.READY
    with completed.pdf.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "Priya Raman, MD" in text and "Sepsis champion track" in text
    assert "learning pathway" in text and completed.code_display in text
    assert [step["title"] for step in completed.steps] == [
        "Sepsis Grand Rounds: the first hour", "Recognising Sepsis Early",
        "Sepsis Bundle Drill", "Sepsis simulation at the regional centre"]
    assert PathwayCertificate.objects.count() == 1
    [message] = [m for m in mail.outbox if "Sepsis champion track" in m.subject + m.body]
    assert f"/pathways/certificates/{completed.pk}/download/" in message.body


def test_the_qr_code_opens_the_public_verification_page(completed, client, tmp_path,
                                                        settings):
    pdf_path = tmp_path / "certificate.pdf"
    with completed.pdf.open("rb") as handle:
        pdf_path.write_bytes(handle.read())
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path),
                    str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert decoded == completed.verification_url
    body = client.get(decoded.removeprefix(settings.SITE_URL)).content.decode()
    assert "Sepsis champion track" in body and "Complete 1 of the 2 steps" in body
    # The portal's one "Verify a certificate" form finds it too.
    response = client.get(reverse("certificates:verify",
                                  kwargs={"code": completed.verification_code}))
    assert response.status_code == 302 and response.url == decoded.removeprefix(
        settings.SITE_URL)


def test_the_credential_names_the_pathway_and_its_criteria_and_verifies(completed, client,
                                                                        clinician, settings):
    client.force_login(clinician)
    token = client.get(reverse("pathways:credential_download",
                               kwargs={"pk": completed.pk})).content.decode()
    keys = KeySet.import_key_set(client.get(reverse("certificates:credential_jwks")).json())
    credential = json.loads(jws.deserialize_compact(token, keys, algorithms=["ES256"]).payload)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "LearningProgram"
    assert achievement["name"] == "Sepsis champion track"
    assert achievement["criteria"]["narrative"].startswith(
        "Complete every step of “Core” (Sepsis Grand Rounds: the first hour; ")
    assert credential["credentialSubject"]["activityEndDate"] == "2026-12-07T00:00:00Z"
    assert client.get(credential["id"].removeprefix(settings.SITE_URL)).content.decode() == token


def test_only_the_learner_downloads_her_certificate(completed, client, other_clinician):
    client.force_login(other_clinician)
    url = reverse("pathways:certificate_download", kwargs={"pk": completed.pk})
    assert client.get(url).status_code == 404


def test_the_pathway_page_offers_the_certificate_once_complete(completed, client, clinician):
    client.force_login(clinician)
    enrolment = PathwayEnrolment.objects.get(user=clinician)
    body = client.get(reverse("pathways:pathway", args=[enrolment.pathway.slug])).content.decode()
    assert "Download certificate" in body and completed.code_display in body
