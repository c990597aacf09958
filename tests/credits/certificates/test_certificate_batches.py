"""Batch renders (bulk regeneration): several certificates in one transaction, each rendered,
credentialed and announced exactly once, in a fixed number of queries; a batch that fails is
split so only the failing certificate is retried and recorded."""
import json

import pytest
from joserfc import jws
from joserfc.jwk import KeySet

from accounts.models import OutgoingMessage
from accounts.services import outgoing_message_queue
from credits.certificates.openbadges.credential import published_key_set
from credits.certificates.openbadges.services import certificate_credential_issue
from credits.certificates.tasks import certificate_batch_render, certificate_render
from credits.models import Certificate, CertificateCredential
from tests.credits.certificates.certificate_helpers import (
    claim_credit,
    make_course,
    render_retries_recorded,
    tasks_run_in_process,  # noqa: F401  (a fixture)
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_in_process")]


def _issued_not_rendered(count, monkeypatch, django_capture_on_commit_callbacks):
    """Certificates as claims leave them, with their single renders held back."""
    course = make_course(title="Pharmacy Grand Rounds: Anticoagulation Stewardship")
    with monkeypatch.context() as held:
        held.setattr(certificate_render, "delay_on_commit", lambda certificate_id: None)
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(count):
                claim_credit(UserFactory(), course)
    certificates = list(Certificate.objects.filter(course=course).order_by("pk"))
    assert [c.status for c in certificates] == [Certificate.Status.PENDING] * count
    return certificates


def _batch(certificates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return certificate_batch_render.apply(args=[[c.pk for c in certificates]]).get()


def test_a_batch_renders_each_certificate_once_with_its_credential_and_ready_email(
        monkeypatch, django_capture_on_commit_callbacks):
    certificates = _issued_not_rendered(4, monkeypatch, django_capture_on_commit_callbacks)
    assert _batch(certificates, django_capture_on_commit_callbacks) == {"rendered": 4}
    keys = KeySet.import_key_set(published_key_set())
    entries = set()
    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.is_current and certificate.attempts == 1
        assert certificate.pdf.name == f"certificates/{certificate.pk}/certificate-v1.pdf"
        with certificate.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        credential = CertificateCredential.objects.get(certificate=certificate, version=1)
        payload = json.loads(jws.deserialize_compact(credential.token, keys,
                                                     algorithms=["ES256"]).payload)
        assert payload["credentialSubject"]["name"] == certificate.learner_name
        assert payload["credentialSubject"]["achievement"]["creditsAvailable"] == 1.5
        entries.add((credential.status_list, credential.status_index))
        message = OutgoingMessage.objects.get(object_key=f"certificate:{certificate.pk}")
        assert message.recipient_id == certificate.user_id and message.status == "sent"
        assert message.context["verification_code"] == certificate.code_display
    assert len(entries) == 4  # every credential has its own status entry

    # Redelivered: nothing is rendered, credentialed or sent twice.
    assert _batch(certificates, django_capture_on_commit_callbacks) == {"already-rendered": 4}
    assert CertificateCredential.objects.count() == 4
    assert OutgoingMessage.objects.filter(kind="certificate_ready").count() == 4
    assert set(Certificate.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.parametrize("count", [1, 12])
def test_a_batch_takes_the_same_queries_whatever_its_size(
        count, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries):
    certificates = _issued_not_rendered(count, monkeypatch, django_capture_on_commit_callbacks)
    # The note that the renders begin (savepoint, one update, release), then savepoint and lock
    # (with the highest credential id), the one update, credentials (in a savepoint; their
    # designations are in the snapshot), ready emails (in a savepoint), release. First
    # versions: no look at running regenerations.
    with django_assert_num_queries(3 + 2 + 1 + 3 + 3 + 1):
        outcome = certificate_batch_render.run([c.pk for c in certificates])
    assert outcome == {"rendered": count}


def test_a_credential_or_email_already_recorded_is_kept_and_the_rest_are_issued(
        monkeypatch, django_capture_on_commit_callbacks):
    first, second, third = _issued_not_rendered(3, monkeypatch, django_capture_on_commit_callbacks)
    # A download issued the second one's credential before the render; a resend recorded the
    # third one's ready email.
    early = certificate_credential_issue(certificate=second)
    outgoing_message_queue(recipient=third.user, kind="certificate_ready",
                           object_key=f"certificate:{third.pk}", occurrence="v1",
                           context={"activity_title": third.activity_title})
    assert _batch([first, second, third], django_capture_on_commit_callbacks) == {"rendered": 3}
    assert CertificateCredential.objects.filter(certificate=second).get() == early
    assert CertificateCredential.objects.count() == 3
    assert OutgoingMessage.objects.filter(kind="certificate_ready").count() == 3


def test_a_failing_certificate_is_split_out_retried_and_recorded_alone(
        monkeypatch, django_capture_on_commit_callbacks):
    from credits.certificates import services

    good, broken, also_good = _issued_not_rendered(3, monkeypatch,
                                                   django_capture_on_commit_callbacks)
    real_render = services.render_pdf

    def render_or_fail(content):
        if content.learner_name == broken.learner_name:
            raise OSError("font file unreadable")
        return real_render(content)

    monkeypatch.setattr(services, "render_pdf", render_or_fail)
    retries = render_retries_recorded(monkeypatch)
    assert _batch([good, broken, also_good], django_capture_on_commit_callbacks) == {
        "queued_alone": 3}
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses == {good.pk: "ready", broken.pk: "failed", also_good.pk: "ready"}
    broken.refresh_from_db()
    assert retries == [10, 20, 40, 80]  # the single render's backoff, for that one only
    assert "font file unreadable" in broken.last_error and broken.renders.count() == 5
    assert not CertificateCredential.objects.filter(certificate=broken).exists()
    assert set(CertificateCredential.objects.values_list("certificate_id", flat=True)) == {
        good.pk, also_good.pk}
