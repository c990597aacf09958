"""External credits: a certificate sniffed by content, size-limited, private to its owner."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credits.models import CreditRecord, ExternalActivity

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
             b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
             b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _data(certificate, **overrides):
    data = {"provider": "American College of Physicians", "title": "Board review",
            "completed_on": "2026-10-01", "credit_type": "ama_pra_1", "amount": "2.25",
            "certificate": certificate}
    data.update(overrides)
    return data


def test_clinician_adds_external_credit_with_a_pdf_certificate(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("ledger:external_new"),
                           _data(SimpleUploadedFile("my-board-review.pdf", PDF_BYTES)))
    assert response.status_code == 302
    activity = ExternalActivity.objects.get(user=clinician)
    assert activity.certificate.name.endswith(".pdf")
    assert "board-review" not in activity.certificate.name
    record = CreditRecord.objects.get(external_activity=activity)
    assert (record.source, record.amount, record.course) == ("external", Decimal("2.25"), None)


def test_a_text_file_named_pdf_is_rejected(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("ledger:external_new"),
                           _data(SimpleUploadedFile("cert.pdf", b"just some text, honest")))
    assert response.status_code == 200
    assert "not a PDF, PNG or JPEG" in response.content.decode()
    assert not ExternalActivity.objects.exists()


def test_a_png_named_txt_is_accepted_by_its_content(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("ledger:external_new"),
                           _data(SimpleUploadedFile("scan.txt", PNG_BYTES)))
    assert response.status_code == 302
    assert ExternalActivity.objects.get().certificate.name.endswith(".png")


def test_an_oversized_certificate_is_rejected(client, clinician, settings):
    settings.EXTERNAL_CERTIFICATE_MAX_BYTES = 1024
    client.force_login(clinician)
    response = client.post(reverse("ledger:external_new"),
                           _data(SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048)))
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not ExternalActivity.objects.exists()


def test_amount_must_be_in_quarter_steps_and_date_not_in_the_future(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("ledger:external_new"), _data(
        SimpleUploadedFile("cert.pdf", PDF_BYTES), amount="1.1", completed_on="2999-01-01"))
    form = response.context["form"]
    assert "steps of 0.25" in form.errors["amount"][0]
    assert "in the future" in form.errors["completed_on"][0]


def test_only_the_owner_and_administrators_download_the_certificate(
        client, clinician, other_clinician, admin_user, educator):
    client.force_login(clinician)
    client.post(reverse("ledger:external_new"), _data(SimpleUploadedFile("c.pdf", PDF_BYTES)))
    url = reverse("ledger:external_certificate", args=[ExternalActivity.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    for person in (other_clinician, educator):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_administrator_marks_external_activities_verified(client, admin_user, clinician):
    client.force_login(clinician)
    client.post(reverse("ledger:external_new"), _data(SimpleUploadedFile("c.pdf", PDF_BYTES)))
    activity = ExternalActivity.objects.get()
    client.force_login(admin_user)
    client.post(reverse("admin:credits_externalactivity_changelist"),
                {"action": "mark_verified", "_selected_action": [activity.pk]})
    activity.refresh_from_db()
    assert activity.verified_by == admin_user and activity.verified_at is not None


def test_clinician_cannot_verify_their_own_activity_by_posting_the_field(client, clinician):
    client.force_login(clinician)
    client.post(reverse("ledger:external_new"), _data(
        SimpleUploadedFile("c.pdf", PDF_BYTES), verified_at="2026-10-02T00:00"))
    assert ExternalActivity.objects.get().verified_at is None
