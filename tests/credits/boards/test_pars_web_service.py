"""Reporting to (a local stand-in for) ACCME's PARS web services: an activity before its
learners, accepted, rejected with ACCME's words for the learner to fix, 5xx then a retry, a
duplicate delivery and a lost answer (one record each), corrections by delete-and-resubmit,
and the boards' answers on MOC records (a refusal told to the learner once)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import OutgoingMessage
from credits.boards.services import board_reports_sync
from credits.ledger.services import credit_record_replace, credit_record_void
from credits.models import BoardReport
from credits.webservices import services
from credits.webservices.models import Submission, SubmissionAttempt
from credits.webservices.selectors import submissions_to_send
from credits.webservices.sending import submission_send
from tests.credits.boards.pars_server import PASSWORD, PROVIDER_ID, USERNAME, ParsStandIn
from tests.credits.boards.stand_in_http import settings_point_at
from tests.credits.boards.world import moc_claim
from tests.factories import UserFactory

BOARD_ID = "245871"


@pytest.fixture
def pars(settings):
    with ParsStandIn(diplomates={BOARD_ID: ("ABIM", "09/23")}) as server:
        settings_point_at(settings, "PARS", server, PROVIDER_ID=PROVIDER_ID,
                          USERNAME=USERNAME, PASSWORD=PASSWORD)
        yield server


def internist(**fields):
    return UserFactory(**{"full_name": "Daniel Okafor", "email": "daniel@hospital.example",
                          "birth_month": 9, "birth_day": 23, "certifying_board": "ABIM",
                          "board_id": BOARD_ID, "consents_to_credit_reporting": True, **fields})


@pytest.fixture
def claimed(pars, db, django_capture_on_commit_callbacks):
    daniel = internist()
    with django_capture_on_commit_callbacks():  # the ledger's signal, not the queued tasks
        record = moc_claim(daniel)
    services.submissions_sync(user_id=daniel.pk, course_id=record.course_id)
    return record


def rows(record):
    activity = Submission.objects.get(kind="pars_activity", course=record.course)
    learner = Submission.objects.filter(kind="pars_learner", course=record.course).latest(
        "version")
    return activity, learner


def test_activity_then_learner_are_accepted_with_the_documented_fields(pars, claimed):
    activity, learner = rows(claimed)
    assert submission_send(submission_id=learner.pk) == "waiting"  # PARS needs the activity
    assert pars.requests == []
    assert submission_send(submission_id=activity.pk) == "accepted"
    assert submission_send(submission_id=learner.pk) == "accepted"
    activity.refresh_from_db()
    learner.refresh_from_db()
    assert activity.remote_id in pars.activities
    assert (learner.status, learner.remote_id, learner.board_status) == (
        "accepted", next(iter(pars.learners)), "pending")
    sent = pars.live_learners()[0]
    assert {name: sent[name] for name in ("FirstName", "LastName", "DateOfBirth", "Board",
                                          "BoardId", "MocPoints", "CompletionDate")} == {
        "FirstName": "Daniel", "LastName": "Okafor", "DateOfBirth": "09/23", "Board": "ABIM",
        "BoardId": BOARD_ID, "MocPoints": "1.00",
        "CompletionDate": claimed.completed_on.strftime("%m/%d/%Y")}
    assert pars.activities[activity.remote_id]["MocBoard"] == "ABIM"


def test_a_board_id_acme_cannot_match_is_shown_to_the_learner_and_sent_again_once_fixed(
        pars, claimed, client, django_capture_on_commit_callbacks):
    activity, learner = rows(claimed)
    daniel = claimed.user
    type(daniel).objects.filter(pk=daniel.pk).update(board_id="999999")
    submission_send(submission_id=activity.pk)
    with django_capture_on_commit_callbacks():
        assert submission_send(submission_id=learner.pk) == "rejected"
    learner.refresh_from_db()
    assert (learner.status, learner.response_code, learner.fix_by) == (
        "rejected", "INVALID_BOARD_ID", "learner")
    told = OutgoingMessage.objects.filter(recipient=daniel, kind="credit_report_refused")
    assert told.count() == 1
    client.force_login(daniel)
    page = client.get(reverse("ledger:transcript")).content.decode()
    assert "The board ID does not match a diplomate of this board." in page
    # Nothing changed on the profile: the hourly tick does not send it again.
    assert services.learner_fixes_resubmit() == 0
    type(daniel).objects.filter(pk=daniel.pk).update(board_id=BOARD_ID)
    with django_capture_on_commit_callbacks():
        assert services.learner_fixes_resubmit() == 1
    assert submission_send(submission_id=learner.pk) == "accepted"
    assert len(pars.live_learners()) == 1


def test_a_server_error_is_retried_later_and_reported_once(pars, claimed):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    pars.faults.append(("status", 503))
    assert submission_send(submission_id=learner.pk, retry_in_seconds=60) == "transient"
    learner.refresh_from_db()
    assert learner.status == "pending" and learner.next_attempt_at is not None
    assert submission_send(submission_id=learner.pk) == "accepted"
    assert len(pars.live_learners()) == 1
    assert list(SubmissionAttempt.objects.filter(submission=learner).values_list(
        "outcome", "http_status")) == [("transient", 503), ("accepted", 201)]


def test_a_duplicate_delivery_sends_nothing_and_a_lost_answer_is_not_recorded_twice(
        pars, claimed):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    assert submission_send(submission_id=learner.pk) == "accepted"
    assert submission_send(submission_id=learner.pk) == "skipped"
    assert len(pars.live_learners()) == 1
    # The worker died after PARS recorded it: the row is left "sent", the tick sends it again
    # and PARS answers with the record it holds.
    remote_id = Submission.objects.get(pk=learner.pk).remote_id
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    Submission.objects.filter(pk=learner.pk).update(status="sent", sent_at=long_ago)
    assert submission_send(submission_id=learner.pk) == "accepted"
    learner.refresh_from_db()
    assert learner.remote_id == remote_id and learner.response_code == "DUPLICATE_LEARNER"
    assert len(pars.live_learners()) == 1


def test_a_changed_amount_deletes_the_accepted_record_and_submits_the_correction(
        pars, claimed, django_capture_on_commit_callbacks):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    submission_send(submission_id=learner.pk)
    first_id = Submission.objects.get(pk=learner.pk).remote_id
    with django_capture_on_commit_callbacks():
        credit_record_replace(record=claimed, amount=Decimal("0.75"), actor=None,
                              reason="Left the session early")
    services.submissions_sync(user_id=claimed.user_id, course_id=claimed.course_id)
    correction = Submission.objects.get(kind="pars_learner", course=claimed.course, version=2)
    assert correction.corrects_id == learner.pk
    assert submission_send(submission_id=correction.pk) == "accepted"
    learner.refresh_from_db()
    assert learner.status == "superseded" and pars.learners[first_id]["deleted"]
    assert [row["MocPoints"] for row in pars.live_learners()] == ["0.75"]


def test_a_board_refusal_is_recorded_and_the_learner_told_once(
        pars, claimed, django_capture_on_commit_callbacks):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    submission_send(submission_id=learner.pk)
    assert services.pars_board_statuses_poll() == 0  # the board has not answered yet
    pars.board_answers[BOARD_ID] = ("Rejected", "ABIM: the diplomate's MOC enrolment lapsed.")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=7)
    with django_capture_on_commit_callbacks():
        assert services.pars_board_statuses_poll(now=later) == 1
        assert services.pars_board_statuses_poll(now=later + datetime.timedelta(hours=7)) == 0
    learner.refresh_from_db()
    assert (learner.board_status, learner.board_message) == (
        "rejected", "ABIM: the diplomate's MOC enrolment lapsed.")
    told = OutgoingMessage.objects.filter(recipient=claimed.user, kind="credit_report_refused")
    assert told.count() == 1
    assert told.get().context["message"] == "ABIM: the diplomate's MOC enrolment lapsed."
    # The learner corrects their board ID: the record is deleted and submitted again.
    assert services.learner_fixes_resubmit() == 0
    pars.diplomates["245872"] = ("ABIM", "09/23")
    type(claimed.user).objects.filter(pk=claimed.user_id).update(board_id="245872")
    with django_capture_on_commit_callbacks():
        assert services.learner_fixes_resubmit() == 1
    correction = Submission.objects.get(corrects=learner)
    assert submission_send(submission_id=correction.pk) == "accepted"
    assert [row["BoardId"] for row in pars.live_learners()] == ["245872"]
    assert services.learner_fixes_resubmit() == 0


def test_nothing_is_recorded_for_pars_when_its_web_service_is_not_configured(
        settings, db, django_capture_on_commit_callbacks):
    settings.PARS_URL = ""
    daniel = internist()
    with django_capture_on_commit_callbacks():
        record = moc_claim(daniel)
    assert services.submissions_sync(user_id=daniel.pk, course_id=record.course_id) == []
    assert not Submission.objects.exists()


def test_a_voided_claim_deletes_the_accepted_record_and_withdraws_the_row(
        pars, claimed, django_capture_on_commit_callbacks):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    submission_send(submission_id=learner.pk)
    with django_capture_on_commit_callbacks():
        credit_record_void(record=claimed, actor=None, reason="Did not attend")
    services.submissions_sync(user_id=claimed.user_id, course_id=claimed.course_id)
    deletion = Submission.objects.get(kind="pars_learner", course=claimed.course, version=2)
    assert deletion.values == {}
    assert submission_send(submission_id=deletion.pk) == "accepted"
    deletion.refresh_from_db()
    assert deletion.status == "withdrawn" and pars.live_learners() == []


def test_the_tick_sends_pending_rows_and_rows_a_dead_worker_left_sent(pars, claimed):
    activity, learner = rows(claimed)
    now = datetime.datetime.now(datetime.UTC)
    Submission.objects.filter(pk=activity.pk).update(
        status="sent", sent_at=now - datetime.timedelta(minutes=16))
    Submission.objects.filter(pk=learner.pk).update(
        next_attempt_at=now + datetime.timedelta(minutes=5))  # a retry not due yet
    assert submissions_to_send(now=now) == [activity.pk]
    assert submissions_to_send(now=now + datetime.timedelta(minutes=6)) == [
        activity.pk, learner.pk]


def test_moc_points_sent_by_web_service_get_no_file_upload_row(pars, claimed):
    assert board_reports_sync(user_id=claimed.user_id, course_id=claimed.course_id) == []
    assert not BoardReport.objects.filter(credit_record=claimed).exists()


def test_a_correction_made_while_the_first_version_was_in_flight_replaces_its_refusal(
        pars, claimed, django_capture_on_commit_callbacks):
    activity, learner = rows(claimed)
    submission_send(submission_id=activity.pk)
    Submission.objects.filter(pk=learner.pk).update(status="sent")  # a worker is sending it
    with django_capture_on_commit_callbacks():
        credit_record_replace(record=claimed, amount=Decimal("0.50"), actor=None,
                              reason="Left the session early")
    services.submissions_sync(user_id=claimed.user_id, course_id=claimed.course_id)
    correction = Submission.objects.get(kind="pars_learner", course=claimed.course, version=2)
    assert submission_send(submission_id=correction.pk) == "waiting"
    Submission.objects.filter(pk=learner.pk).update(
        status="rejected", message="The board ID does not match.", fix_by="learner")
    assert submission_send(submission_id=correction.pk) == "accepted"
    learner.refresh_from_db()
    assert learner.status == "superseded"
    assert [row["MocPoints"] for row in pars.live_learners()] == ["0.50"]
