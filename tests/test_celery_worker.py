"""A real `celery worker` process picks up a task queued after commit and finishes it."""
import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from accounts.models import OutgoingMessage
from tests.conftest import wait_for
from tests.factories import UserFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_welcome_email_once_after_verification(celery_worker_process):
    user = UserFactory(full_name="Jordan Okafor", email="jordan@hospital.example")
    address = EmailAddress.objects.get(user=user)
    # What allauth does when the link is followed; committed, so the task is queued.
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    def welcome_sent():
        return OutgoingMessage.objects.filter(
            recipient=user, kind="welcome", status=OutgoingMessage.Status.SENT).first()

    message = wait_for(welcome_sent)
    assert message.attempts == 1
    assert OutgoingMessage.objects.filter(recipient=user).count() == 1
    # The worker lives for the whole session: other tests' emails may share its mail folder.
    mail_files = [path for path in celery_worker_process["mail_dir"].iterdir()
                  if "To: jordan@hospital.example" in path.read_text()]
    assert len(mail_files) == 1
    body = mail_files[0].read_text()
    assert "To: jordan@hospital.example" in body
    assert "Hello Jordan Okafor" in body
