"""The education office revokes a certificate with a reason: audited, and the verification page,
the Open Badges status list and the downloads follow; credit changes do not reissue it."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits.certificates.revocation import certificate_revoke
from credits.models import Certificate, CertificateRevocation
from tests.credits.certificates.certificate_helpers import (
    change_credit,
    claim_credit,
    make_course,
    tasks_run_in_process,  # noqa: F401  (a fixture)
)
from tests.credits.certificates.test_open_badges import _download, _parts, _status_bit

pytestmark = pytest.mark.usefixtures("tasks_run_in_process")


@pytest.fixture
def issued(clinician, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, make_course(title="Blood Administration Update"))
    return Certificate.objects.get(user=clinician)


def test_office_revokes_with_a_reason_and_every_reader_follows(
        issued, clinician, admin_user, client):
    client.force_login(clinician)
    _, credential = _parts(_download(client, issued))
    assert _status_bit(client, credential) is False
    client.force_login(admin_user)
    url = reverse("certificates:revoke", kwargs={"pk": issued.pk})
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and "Give the reason" in refused.text
    response = client.post(url, {"reason": "Attendance was recorded for the wrong person."})
    assert response.status_code == 302
    revocation = CertificateRevocation.objects.get(certificate=issued)
    assert revocation.revoked_by == admin_user
    assert revocation.reason == "Attendance was recorded for the wrong person."
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert issued.revoked_at == revocation.revoked_at
    page = client.get(issued.verification_path).text
    assert "revoked by" in page and f"on {issued.revoked_at:%-d %B %Y}" in page
    assert "Attendance was recorded" not in page  # the reason stays with the office
    assert _status_bit(client, credential) is True
    client.force_login(clinician)
    assert client.get(reverse("certificates:download", kwargs={"pk": issued.pk})
                      ).status_code == 404
    assert client.get(reverse("certificates:verify_credential_jwt",
                              kwargs={"code": issued.verification_code})).status_code == 404


def test_a_second_revocation_is_refused_and_recorded_once(issued, admin_user, client):
    certificate_revoke(certificate=issued, actor=admin_user, reason="Issued in error.")
    with pytest.raises(ValidationError, match="already revoked"):
        certificate_revoke(certificate=issued, actor=admin_user, reason="Double click.")
    client.force_login(admin_user)
    page = client.get(reverse("certificates:revoke", kwargs={"pk": issued.pk})).text
    assert "Issued in error." in page and "Revoke certificate</button>" not in page
    assert CertificateRevocation.objects.count() == 1


def test_changed_credits_do_not_reissue_a_certificate_the_office_revoked(
        issued, clinician, admin_user, django_capture_on_commit_callbacks):
    certificate_revoke(certificate=issued, actor=admin_user, reason="Issued in error.")
    with django_capture_on_commit_callbacks(execute=True):
        change_credit(clinician.credit_records.get(), amount="1.00")
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED and issued.version == 1
