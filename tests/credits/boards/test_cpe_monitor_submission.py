"""Submitting ACPE credit to (a local stand-in for) CPE Monitor: each documented answer, the
faults of a network, and a record that is never sent twice."""
import datetime

import pytest

from credits.boards import services
from credits.boards.cpe_monitor import Answer, Outcome
from credits.boards.services import cpe_monitor_submit
from credits.models import BoardReport, BoardReportAttempt
from tests.conftest import queued_work
from tests.credits.boards.cpe_monitor_server import API_KEY, PROVIDER_ID, CpeMonitorStandIn
from tests.credits.boards.world import EPROFILE, UAN, acpe_claim, acpe_course, pharmacist


@pytest.fixture
def stand_in(settings):
    with CpeMonitorStandIn(pharmacists={EPROFILE: "04-17"}, uans={UAN}) as server:
        settings.CPE_MONITOR_URL = server.url
        settings.CPE_MONITOR_PROVIDER_ID = PROVIDER_ID
        settings.CPE_MONITOR_API_KEY = API_KEY
        settings.CPE_MONITOR_TIMEOUT_SECONDS = 0.5
        yield server


@pytest.fixture
def claimed(db, django_capture_on_commit_callbacks):
    ana = pharmacist()
    course = acpe_course(ana)
    with django_capture_on_commit_callbacks():  # the ledger's signal, not the queued task
        record = acpe_claim(ana, course)
    services.board_reports_sync(user_id=ana.pk, course_id=course.pk)
    return BoardReport.objects.get(credit_record=record)


def test_claimed_acpe_credit_is_accepted_and_the_request_carries_the_documented_fields(
        stand_in, claimed):
    assert cpe_monitor_submit(report_id=claimed.pk) == "accepted"
    claimed.refresh_from_db()
    assert claimed.status == BoardReport.Status.ACCEPTED
    assert claimed.reported_at is not None and claimed.attempts == 1
    sent = stand_in.requests[0]
    completed = claimed.credit_record.completed_on
    assert sent == {"ProviderId": "0197", "eProfileId": EPROFILE, "DOB": "04-17",
                    "CourseDate": completed.strftime("%m-%d-%Y"), "UAN": UAN,
                    "ParticipantType": "P", "Title": "Anticoagulation update",
                    "Format": "Live"}
    attempt = BoardReportAttempt.objects.get(report=claimed)
    assert (attempt.outcome, attempt.http_status, attempt.response_code) == (
        "accepted", 200, "ACCEPTED")


def test_a_second_delivery_of_the_same_task_sends_nothing(stand_in, claimed):
    assert cpe_monitor_submit(report_id=claimed.pk) == "accepted"
    assert cpe_monitor_submit(report_id=claimed.pk) == "skipped"
    assert len(stand_in.requests) == 1
    assert BoardReportAttempt.objects.filter(report=claimed).count() == 1


@pytest.mark.parametrize(("change", "code", "fix_by", "http_status"), [
    ({"birth_day": 18}, "EPROFILE_DOB_MISMATCH", "learner", 409),
    ({"nabp_eprofile_id": "7654321"}, "EPROFILE_NOT_FOUND", "learner", 409),
])
def test_profile_mismatches_are_rejected_for_the_learner_to_fix(stand_in, claimed, change,
                                                                code, fix_by, http_status):
    type(claimed.credit_record.user).objects.filter(
        pk=claimed.credit_record.user_id).update(**change)
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.response_code, claimed.fix_by) == ("rejected", code, fix_by)
    assert claimed.message  # the service's words, shown to the learner
    assert claimed.attempt_log.get().http_status == http_status


def test_an_activity_cpe_monitor_does_not_know_is_rejected_for_the_office(stand_in, claimed):
    stand_in.uans.clear()
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    claimed.refresh_from_db()
    assert (claimed.response_code, claimed.fix_by) == ("UAN_NOT_FOUND", "office")


def test_a_late_submission_is_rejected_with_the_services_message(stand_in, claimed):
    stand_in.today = claimed.credit_record.completed_on + datetime.timedelta(days=61)
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    claimed.refresh_from_db()
    assert claimed.response_code == "LATE_SUBMISSION"
    assert "60 days" in claimed.message


def test_a_wrong_provider_key_is_rejected_for_the_office(stand_in, claimed, settings):
    settings.CPE_MONITOR_API_KEY = "expired-key"
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    claimed.refresh_from_db()
    assert (claimed.response_code, claimed.fix_by) == ("UNAUTHORIZED", "office")


def test_a_duplicate_answer_means_cpe_monitor_already_has_it(stand_in, claimed):
    record = claimed.credit_record
    stand_in.recorded.add((EPROFILE, UAN, record.completed_on.strftime("%m-%d-%Y")))
    assert cpe_monitor_submit(report_id=claimed.pk) == "accepted"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.response_code) == ("accepted", "DUPLICATE")


@pytest.mark.parametrize("fault", [("status", 503), ("status", 500), ("slow", 1.5)])
def test_server_errors_and_timeouts_leave_it_pending_for_a_retry_that_succeeds(
        stand_in, claimed, fault):
    stand_in.faults.append(fault)
    assert cpe_monitor_submit(report_id=claimed.pk, retry_in_seconds=60) == "transient"
    claimed.refresh_from_db()
    assert claimed.status == BoardReport.Status.PENDING
    assert claimed.next_attempt_at is not None
    expected = "TIMEOUT" if fault[0] == "slow" else "SERVER_ERROR"
    assert claimed.attempt_log.get().response_code == expected

    assert cpe_monitor_submit(report_id=claimed.pk) == "accepted"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == ("accepted", 2)
    assert [a.outcome for a in claimed.attempt_log.all()] == ["transient", "accepted"]


def test_an_unreachable_service_is_a_transient_error(settings, claimed):
    settings.CPE_MONITOR_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.CPE_MONITOR_TIMEOUT_SECONDS = 0.5
    assert cpe_monitor_submit(report_id=claimed.pk) == "transient"
    claimed.refresh_from_db()
    assert claimed.status == "pending" and claimed.response_code in ("UNREACHABLE", "TIMEOUT")


def test_without_a_configured_service_the_record_stays_pending(settings, claimed):
    settings.CPE_MONITOR_URL = ""
    assert cpe_monitor_submit(report_id=claimed.pk) == "not_configured"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == ("pending", 0)


def test_a_profile_without_an_eprofile_id_is_rejected_without_calling_the_service(
        stand_in, claimed):
    type(claimed.credit_record.user).objects.filter(
        pk=claimed.credit_record.user_id).update(nabp_eprofile_id="")
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    assert stand_in.requests == []
    claimed.refresh_from_db()
    assert (claimed.response_code, claimed.fix_by) == ("PROFILE_INCOMPLETE", "learner")


def test_after_the_learner_fixes_the_profile_the_office_resubmits_once(
        stand_in, claimed, admin_user, django_capture_on_commit_callbacks):
    user = claimed.credit_record.user
    type(user).objects.filter(pk=user.pk).update(birth_day=18)
    assert cpe_monitor_submit(report_id=claimed.pk) == "rejected"
    type(user).objects.filter(pk=user.pk).update(birth_day=17)
    with django_capture_on_commit_callbacks() as callbacks:
        services.board_report_resubmit(report=claimed, actor=admin_user)
        services.board_report_resubmit(report=claimed, actor=admin_user)  # a double click
    assert len(queued_work(callbacks)) == 1
    assert cpe_monitor_submit(report_id=claimed.pk) == "accepted"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts, claimed.resubmitted_by) == (
        "accepted", 2, admin_user)
    assert claimed.attempt_log.last().requested_by == admin_user


def test_an_answer_given_by_another_client_at_a_past_moment_is_recorded_as_of_then(claimed):
    # The demo replays CPE Monitor's acceptance of weeks ago (no CPE_MONITOR_URL is set here).
    class AcceptedThen:
        def submit(self, submission):
            return Answer(Outcome.ACCEPTED, "ACCEPTED", "Activity recorded.")

    then = claimed.credit_record.claimed_at + datetime.timedelta(days=1)
    assert cpe_monitor_submit(report_id=claimed.pk, client=AcceptedThen(), now=then) == "accepted"
    claimed.refresh_from_db()
    assert (claimed.status, claimed.sent_at, claimed.reported_at) == ("accepted", then, then)
    assert BoardReportAttempt.objects.get(report=claimed).finished_at == then
