"""The CME office's page of what went to ACCME PARS and CE Broker: counts and open rows in fixed
queries, the service's words on a rejection, the resubmit button counted once, and the notice
when a service is not configured."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.webservices.models import Submission
from tests.conftest import queued_work
from tests.factories import CourseFactory, UserFactory


def _rows(today):
    """One of each state an office sees, with a deadline behind and one ahead."""
    course = CourseFactory(title="Heart failure grand rounds")
    learner = UserFactory(full_name="Daniel Okafor")
    nurse = UserFactory(full_name="Maria Alvarez", profession="nurse")
    Submission.objects.create(service="pars", kind="pars_activity", course=course,
                              status="accepted", accepted_at=timezone.now(), remote_id="A1")
    Submission.objects.create(
        service="pars", kind="pars_learner", course=course, user=learner, status="rejected",
        fix_by="learner", response_code="INVALID_BOARD_ID", due_on=today - datetime.timedelta(1),
        message="The board ID does not match a diplomate of this board.")
    Submission.objects.create(service="ce_broker", kind="ceb_roster", course=course,
                              user=nurse, status="pending",
                              due_on=today + datetime.timedelta(days=3))


@pytest.mark.parametrize("copies", [1, 3])
def test_the_page_shows_counts_and_rows_in_fixed_queries(client, admin_user, settings, copies,
                                                          django_assert_num_queries):
    settings.PARS_URL = ""
    settings.CE_BROKER_URL = "https://cebroker.example"
    today = timezone.localdate()
    for _ in range(copies):
        _rows(today)
    client.force_login(admin_user)
    # session, user, groups, the staff MFA gate's authenticator, counts, open rows
    with django_assert_num_queries(6):
        response = client.get(reverse("webservices:status"))
    body = response.content.decode()
    assert f'data-figure="pars_rejected">{copies}<' in body
    assert f'data-figure="ce_broker_pending">{copies}<' in body
    assert f'data-figure="overdue">{copies}<' in body
    assert body.count("The board ID does not match a diplomate of this board.") == copies
    assert body.count("Resubmit</button>") == copies
    assert "no <code>PARS_URL</code>" in body and "no <code>CE_BROKER_URL</code>" not in body


def test_the_page_filters_by_service_and_refuses_an_unknown_one(client, admin_user):
    _rows(timezone.localdate())
    client.force_login(admin_user)
    body = client.get(reverse("webservices:status"), {"service": "ce_broker"}).content.decode()
    assert "Maria Alvarez" in body and "Daniel Okafor" not in body
    assert client.get(reverse("webservices:status"), {"service": "ftp"}).status_code == 404


def test_resubmit_queues_a_rejection_once(client, admin_user, django_capture_on_commit_callbacks):
    _rows(timezone.localdate())
    rejected = Submission.objects.get(status="rejected")
    client.force_login(admin_user)
    url = reverse("webservices:resubmit", args=[rejected.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
        second = client.post(url, follow=True)
    rejected.refresh_from_db()
    assert rejected.status == "pending" and rejected.resubmitted_by == admin_user
    assert "nothing was sent twice" in second.content.decode()
    assert len(queued_work(callbacks)) == 1  # one send queued for two clicks
