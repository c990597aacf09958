"""Certificates: issued from claimed credit, rendered once, revoked and reissued, downloaded only
by their owner and administrators, and verifiable by anyone."""
import io
import subprocess

import pytest
from django.core import mail
from pypdf import PdfReader

from credits.certificates.models import CODE_ALPHABET, normalise_verification_code
from credits.certificates.tasks import certificate_render
from credits.models import Certificate, CertificateRender
from tests.conftest import queued_work
from tests.credits.certificates.certificate_helpers import (
    change_credit,
    claim_credit,
    make_course,
    render_retries_recorded,
    void_credit,
)


def _pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Queued tasks run in this process when the on-commit callbacks run (Task.apply)."""
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def issued(clinician, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course)
    return Certificate.objects.get(user=clinician, course=course)


def test_claiming_credit_issues_one_certificate_rendered_after_commit(
        clinician, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as claim_callbacks:
        claim_credit(clinician, course)
    assert not Certificate.objects.exists()  # nothing happens until the claim commits
    with django_capture_on_commit_callbacks() as render_callbacks:
        for callback in claim_callbacks:
            callback()
    certificate = Certificate.objects.get(user=clinician, course=course)
    assert certificate.status == Certificate.Status.PENDING
    assert len(queued_work(render_callbacks)) == 1  # the render task, queued after commit


def test_pdf_shows_name_activity_dates_and_credits_with_their_wording(issued, clinician):
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.READY
    text = _pdf_text(issued)
    assert "Priya Raman, MD" in text
    assert "Medical Grand Rounds: Sepsis Recognition" in text
    assert "AMA PRA Category 1 Credits™" in text
    assert "1.50" in text
    assert "designates this live activity for a maximum of 1.50" in text
    assert issued.code_display in text
    assert "20 November 2026" in text
    assert issued.pdf.size <= 100 * 1024


def test_qr_code_decodes_to_the_public_verification_url(issued, tmp_path, settings):
    pdf_path = tmp_path / "certificate.pdf"
    with issued.pdf.open("rb") as handle:
        pdf_path.write_bytes(handle.read())
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path),
                    str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert decoded == f"{settings.SITE_URL}/certificates/verify/{issued.verification_code}/"


def test_verification_code_has_80_bits_and_prints_in_groups_of_four(issued):
    code = issued.verification_code
    assert len(code) == 16 and set(code) <= set(CODE_ALPHABET)  # 16 x 5 bits
    assert issued.code_display.count("-") == 3
    assert normalise_verification_code(issued.code_display.lower()) == code


def test_learner_is_emailed_a_link_when_the_certificate_is_ready(issued, clinician):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [clinician.email]
    assert f"/certificates/{issued.pk}/download/" in message.body


def test_second_delivery_of_the_task_renders_nothing(issued):
    assert certificate_render.apply(args=[issued.pk]).get() == "already-rendered"
    issued.refresh_from_db()
    assert issued.attempts == 1 and not CertificateRender.objects.exists()


def test_repeated_signal_without_changes_changes_nothing(
        issued, clinician, course, django_capture_on_commit_callbacks):
    from credits.ledger.signals import course_credits_changed

    with django_capture_on_commit_callbacks(execute=True):
        course_credits_changed.send(sender=None, user_id=clinician.pk, course_id=course.pk)
    issued.refresh_from_db()
    assert issued.version == 1 and issued.status == Certificate.Status.READY


def test_voiding_all_credits_revokes_and_verification_says_so(
        issued, clinician, course, admin_user, client, django_capture_on_commit_callbacks):
    record = clinician.credit_records.get()
    with django_capture_on_commit_callbacks(execute=True):
        void_credit(record, by=admin_user)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    response = client.get(f"/certificates/verify/{issued.verification_code}/")
    assert response.status_code == 200
    assert "Revoked" in response.text and "no longer valid" in response.text
    client.force_login(clinician)
    assert client.get(f"/certificates/{issued.pk}/download/").status_code == 404


def test_changing_credits_issues_a_new_version_with_the_same_code(
        issued, clinician, client, django_capture_on_commit_callbacks):
    first_file = issued.pdf.name
    code = issued.verification_code
    record = clinician.credit_records.get()
    with django_capture_on_commit_callbacks(execute=True):
        change_credit(record, amount="1.00")
    issued.refresh_from_db()
    assert issued.version == 2 and issued.rendered_version == 2
    assert issued.verification_code == code
    assert issued.pdf.name != first_file
    assert not issued.pdf.storage.exists(first_file)  # one PDF per certificate
    assert "1.00 AMA PRA Category 1 Credit™" in _pdf_text(issued)
    page = client.get(f"/certificates/verify/{code}/").text
    assert "1.00 AMA PRA Category 1 Credit™" in page and "version 2" in page
    assert len(mail.outbox) == 2  # one email per version


def test_claiming_again_after_revocation_reinstates_the_certificate(
        issued, clinician, course, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        void_credit(clinician.credit_records.get(), by=admin_user)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.READY and issued.version == 2


def test_failed_render_is_retried_with_backoff_recorded_and_can_be_queued_again(
        clinician, course, monkeypatch, django_capture_on_commit_callbacks):
    from credits.certificates import services as service
    from credits.certificates.services import certificate_rerender

    def broken(content):
        raise OSError("disk full")

    monkeypatch.setattr(service, "render_pdf", broken)
    retries = render_retries_recorded(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(clinician, course)
    certificate = Certificate.objects.get()
    assert retries == [10, 20, 40, 80]  # exponential backoff, bounded at five attempts
    assert certificate.status == Certificate.Status.FAILED
    assert certificate.attempts == 5 and "disk full" in certificate.last_error
    assert certificate.renders.count() == 5  # the failed-render log administrators see
    assert mail.outbox == []
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_rerender(certificate=certificate)  # the admin action
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY and certificate.last_error == ""


def test_download_is_the_pdf_for_the_owner_and_administrators_only(
        issued, clinician, other_clinician, educator, admin_user, client):
    url = f"/certificates/{issued.pk}/download/"
    client.force_login(clinician)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for someone in (other_clinician, educator):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_verification_page_shows_only_the_certificate_facts(issued, clinician, client):
    response = client.get(f"/certificates/verify/{issued.verification_code}/")
    assert response.status_code == 200
    assert "Valid" in response.text and "Priya Raman, MD" in response.text
    assert clinician.email not in response.text


def test_verification_form_accepts_the_printed_code_in_any_case(issued, client):
    response = client.get("/certificates/verify/", {"code": issued.code_display.lower()})
    assert response.status_code == 302
    assert response.url == f"/certificates/verify/{issued.verification_code}/"


def test_unknown_code_gets_a_clear_404_page(client, db):
    response = client.get("/certificates/verify/AAAABBBBCCCCDDDD/")
    assert response.status_code == 404
    assert "No certificate has this code" in response.text


def test_verification_is_rate_limited_per_address(client, db, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 3
    statuses = [client.get("/certificates/verify/AAAABBBBCCCCDDDD/").status_code
                for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_verification_form_explains_a_code_of_the_wrong_length(client, db):
    response = client.get("/certificates/verify/", {"code": "K7Q2-M9XD"})
    assert response.status_code == 200
    assert "16 letters and digits" in response.text
    assert 'aria-invalid="true"' in response.text


def test_transcript_can_link_each_course_to_its_certificate(issued, clinician, course):
    from credits.certificates.selectors import certificate_by_course_for_learner

    assert certificate_by_course_for_learner(user=clinician) == {course.pk: issued}
