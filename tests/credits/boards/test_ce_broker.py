"""Reporting nurses' credit to (a local stand-in for) CE Broker: the course and its live date's
publishing before the roster, the licence validated before each roster line, accepted, a bad
licence number shown to the learner and sent again once they correct it, 5xx then a retry, and a
duplicate delivery (one roster line)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Licence, OutgoingMessage
from courses.credittypes.models import CreditType
from credits.ledger.models import CreditRecord
from credits.ledger.services import credit_record_create
from credits.webservices import services
from credits.webservices.models import Submission
from credits.webservices.sending import submission_send
from tests.credits.boards.ce_broker_server import ce_broker_serving
from tests.credits.claim_world import attended_course
from tests.factories import LicenceFactory, UserFactory

LICENCE = "RN9876543"


@pytest.fixture
def ce_broker(settings):
    with ce_broker_serving(settings, licensees={(LICENCE, "RN", "FL")}) as server:
        yield server


@pytest.fixture
def claimed(ce_broker, db, django_capture_on_commit_callbacks):
    # The office's setting, as data: ANCC contact hours go to CE Broker.
    CreditType.objects.filter(code="ancc").update(reported_to="ce_broker")
    maria = UserFactory(full_name="Maria Alvarez", email="maria@hospital.example",
                        profession="nurse", degree="")
    LicenceFactory(user=maria, state="FL", profession="nurse", number=LICENCE)
    course = attended_course(maria, designations=(("ancc", "1.50"),),
                             title="Sepsis recognition on the ward", target_professions=["nurse"])
    with django_capture_on_commit_callbacks():
        record = credit_record_create(
            user=maria, course=course, credit_type="ancc", amount=Decimal("1.50"),
            completed_on=course.sessions.get().starts_at.date(),
            source=CreditRecord.Source.CLAIM, actor=maria)
    services.submissions_sync(user_id=maria.pk, course_id=course.pk)
    return record


def kinds(record) -> dict[str, Submission]:
    return {row.kind: row for row in Submission.objects.filter(course=record.course)}


def send_course_and_publishing(record):
    rows = kinds(record)
    assert submission_send(submission_id=rows["ceb_course"].pk) == "accepted"
    assert submission_send(submission_id=rows["ceb_publishing"].pk) == "accepted"
    return rows["ceb_roster"]


def test_course_and_publishing_go_before_the_roster_whose_licence_is_validated_first(
        ce_broker, claimed):
    rows = kinds(claimed)
    assert set(rows) == {"ceb_course", "ceb_publishing", "ceb_roster"}
    assert submission_send(submission_id=rows["ceb_roster"].pk) == "waiting"
    assert submission_send(submission_id=rows["ceb_publishing"].pk) == "waiting"
    roster = send_course_and_publishing(claimed)
    assert submission_send(submission_id=roster.pk) == "accepted"
    assert ce_broker.paths() == ["POST /UploadXMLString", "POST /UploadXMLString",
                                 "POST /ValidateLicense", "POST /UploadXMLString"]
    course_id, = ce_broker.courses
    publishing_id, = ce_broker.publishings
    assert ce_broker.publishings[publishing_id]["dt_start"] == (
        claimed.completed_on.strftime("%m/%d/%Y"))
    line, = ce_broker.roster
    assert {name: line[name] for name in ("license", "cd_profession", "state", "dt_completed",
                                          "partial_credit_hours", "id_course", "id_publishing")
            } == {"license": LICENCE, "cd_profession": "RN", "state": "FL",
                  "dt_completed": claimed.completed_on.strftime("%m/%d/%Y"),
                  "partial_credit_hours": "1.50", "id_course": course_id,
                  "id_publishing": publishing_id}


def test_a_licence_ce_broker_does_not_know_is_shown_to_the_learner_and_sent_once_corrected(
        ce_broker, claimed, client, django_capture_on_commit_callbacks):
    Licence.objects.filter(user=claimed.user).update(number="9876543")  # the prefix left out
    roster = send_course_and_publishing(claimed)
    with django_capture_on_commit_callbacks():
        assert submission_send(submission_id=roster.pk) == "rejected"
    roster.refresh_from_db()
    assert (roster.response_code, roster.fix_by) == ("LICENSE_NOT_FOUND", "learner")
    assert ce_broker.roster == []  # nothing posted with a licence CE Broker refused
    assert OutgoingMessage.objects.filter(recipient=claimed.user,
                                          kind="credit_report_refused").count() == 1
    client.force_login(claimed.user)
    page = client.get(reverse("ledger:transcript")).content.decode()
    assert "License 9876543 not found for profession RN in FL." in page
    assert "Correct your profile" in page
    Licence.objects.filter(user=claimed.user).update(number=LICENCE)
    with django_capture_on_commit_callbacks():
        assert services.learner_fixes_resubmit() == 1
    assert submission_send(submission_id=roster.pk) == "accepted"
    assert len(ce_broker.roster) == 1
    page = client.get(reverse("ledger:transcript")).content.decode()
    assert "Reported to CE Broker on" in page


def test_a_server_error_is_retried_and_a_duplicate_delivery_posts_one_line(ce_broker, claimed):
    roster = send_course_and_publishing(claimed)
    ce_broker.faults.append(("status", 502))
    assert submission_send(submission_id=roster.pk, retry_in_seconds=60) == "transient"
    roster.refresh_from_db()
    assert roster.status == "pending" and roster.next_attempt_at is not None
    assert submission_send(submission_id=roster.pk) == "accepted"
    assert submission_send(submission_id=roster.pk) == "skipped"
    assert len(ce_broker.roster) == 1


def test_a_second_claim_signal_makes_no_second_row(ce_broker, claimed):
    before = Submission.objects.count()
    assert services.submissions_sync(user_id=claimed.user_id, course_id=claimed.course_id) == []
    assert Submission.objects.count() == before
