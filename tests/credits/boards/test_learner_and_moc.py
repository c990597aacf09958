"""What the learner reads on the transcript about each report, and ABIM MOC rows leaving the
dashboard when the PARS learner file that held them is marked uploaded."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.boards.services import board_reports_sync
from credits.models import BoardReport, ExportRun
from tests.credits.boards.world import acpe_claim, acpe_course, moc_claim, pharmacist
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_report(django_capture_on_commit_callbacks):
    ana = pharmacist()
    course = acpe_course(ana, title="Anticoagulation update")
    with django_capture_on_commit_callbacks():
        record = acpe_claim(ana, course)
    board_reports_sync(user_id=ana.pk, course_id=course.pk)
    return BoardReport.objects.get(credit_record=record)


def _transcript(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("ledger:transcript")).content.decode()


def test_transcript_says_when_the_credit_was_reported_to_cpe_monitor(client, ana_report):
    reported = timezone.make_aware(datetime.datetime(2026, 11, 30, 15, 0))
    BoardReport.objects.filter(pk=ana_report.pk).update(status="accepted", reported_at=reported)
    assert "Reported to CPE Monitor on 30 Nov 2026" in _transcript(
        client, ana_report.credit_record.user)


def test_transcript_tells_the_learner_what_to_fix_with_a_link_to_the_profile_field(
        client, ana_report):
    BoardReport.objects.filter(pk=ana_report.pk).update(
        status="rejected", fix_by="learner",
        message="Provided DOB is not a match for this e-Profile ID.")
    body = _transcript(client, ana_report.credit_record.user)
    assert "Provided DOB is not a match for this e-Profile ID." in body
    assert "Check your NABP e-Profile ID and birth month and day" in body
    assert f'href="{reverse("accounts:profile")}#id_nabp_eprofile_id"' in body


def test_transcript_shows_the_deadline_while_the_report_is_pending(client, ana_report):
    body = _transcript(client, ana_report.credit_record.user)
    assert f"To be reported to CPE Monitor by {ana_report.due_on:%-d %b %Y}" in body


def test_marking_the_pars_file_uploaded_reports_its_moc_rows_once(
        client, admin_user, django_capture_on_commit_callbacks):
    priya = UserFactory(full_name="Priya Raman", certifying_board="ABIM", board_id="123456",
                        birth_month=3, birth_day=9, consents_to_credit_reporting=True)
    no_board_id = UserFactory(full_name="Sam Okafor", consents_to_credit_reporting=True,
                              birth_month=1, birth_day=2)
    with django_capture_on_commit_callbacks(execute=True):
        in_file = moc_claim(priya, title="Heart failure grand rounds")
        left_out = moc_claim(no_board_id, title="Heart failure grand rounds II")
    run = ExportRun.objects.create(
        exporter="pars_learners", filters={}, filters_summary="no filters", format="txt",
        delivery=ExportRun.Delivery.STREAMED, requested_by=admin_user,
        status=ExportRun.Status.DONE, finished_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        later = moc_claim(UserFactory(certifying_board="ABIM", board_id="654321",
                                      birth_month=5, birth_day=6,
                                      consents_to_credit_reporting=True), title="After")
    client.force_login(admin_user)
    url = reverse("reports:run_mark_uploaded", args=[run.pk])
    response = client.post(url, follow=True)
    assert "1 ABIM MOC row now count as reported" in response.content.decode()
    statuses = dict(BoardReport.objects.values_list("credit_record_id", "status"))
    assert statuses == {in_file.pk: "accepted", left_out.pk: "pending", later.pk: "pending"}
    reported = BoardReport.objects.get(credit_record=in_file)
    assert reported.reference == f"PARS learner file #{run.pk}"
    again = client.post(url, follow=True)  # a replayed form
    assert "no ABIM MOC rows were waiting" in again.content.decode()
    body = _transcript(client, priya)
    assert "Reported to ABIM through ACCME PARS on" in body


def test_only_a_finished_pars_learner_file_can_be_marked_uploaded(client, admin_user):
    run = ExportRun.objects.create(
        exporter="credit_report", filters={}, filters_summary="no filters", format="csv",
        delivery=ExportRun.Delivery.STREAMED, requested_by=admin_user,
        status=ExportRun.Status.DONE, finished_at=timezone.now())
    client.force_login(admin_user)
    response = client.post(reverse("reports:run_mark_uploaded", args=[run.pk]), follow=True)
    assert "Only a finished PARS learner file can be marked uploaded." in \
        response.content.decode()
