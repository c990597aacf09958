"""Report pages: small exports stream and are logged, large ones are built by a real worker
with progress and a download link, and the export history can be read and downloaded."""
import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import profession_choices
from courses.credittypes.selectors import credit_type_catalog
from credits.models import ExportRun
from credits.reports.services import export_progress_record
from tests.conftest import wait_for
from tests.factories import CourseFactory, CreditRecordFactory, UserFactory


def _parse(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def records(db):
    course = CourseFactory(title="Sepsis Grand Rounds")
    return [CreditRecordFactory(course=course, user=UserFactory(full_name=f"Learner {i}"))
            for i in range(3)]


@pytest.mark.django_db
def test_index_lists_every_report_for_administrators(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    for title in ("Credit report", "ACCME PARS learner file", "PARS learner validation report",
                  "PARS activity data", "Annual activity summary", "Course roster"):
        assert title in response.text


@pytest.mark.django_db
def test_small_export_streams_to_the_browser_and_is_logged(client, admin_user, records):
    client.force_login(admin_user)
    response = client.post(reverse("reports:export", args=["credit_report"]),
                           {"status": "active", "format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="credit-report.csv"'
    rows = _parse(response)
    assert [row[0] for row in rows[1:]] == ["Learner 0", "Learner 1", "Learner 2"]
    run = ExportRun.objects.get()
    assert (run.exporter, run.format, run.delivery, run.status) == (
        "credit_report", "csv", "streamed", "done")
    assert run.requested_by == admin_user
    assert (run.rows_done, run.rows_total) == (3, 3)
    assert run.filters == {"status": "active"}
    assert run.filters_summary == "Status: Active credit only"


@pytest.mark.django_db
def test_small_xlsx_export_is_delivered_as_a_workbook(client, admin_user, records):
    client.force_login(admin_user)
    response = client.post(reverse("reports:export", args=["credit_report"]), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.max_row == 4
    assert ExportRun.objects.get().status == "done"


@pytest.mark.django_db
def test_invalid_filters_show_errors_and_export_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("reports:export", args=["credit_report"]),
                           {"completed_from": "2026-12-31", "completed_to": "2026-01-01",
                            "format": "pdf"})
    assert response.status_code == 200
    assert "The start date is after the end date" in response.text
    assert "Select a valid choice" in response.text
    assert not ExportRun.objects.exists()


@pytest.mark.django_db
def test_unknown_report_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("reports:export", args=["salaries"])).status_code == 404


@pytest.mark.django_db
def test_large_export_is_queued_after_commit_and_the_page_polls_its_progress(
        client, admin_user, records, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_ASYNC_THRESHOLD_ROWS = 2
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reports:export", args=["credit_report"]),
                               {"format": "csv"})
    run = ExportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:run_detail", args=[run.pk])
    assert (run.delivery, run.status, run.rows_total) == ("background", "queued", 3)
    assert len(callbacks) == 1
    page = client.get(response.url)
    assert 'hx-trigger="every 1s"' in page.text
    assert "Waiting for a worker" in page.text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_builds_a_large_export_with_progress_and_a_download(
        client, admin_user, settings, celery_worker_process):
    settings.EXPORT_ASYNC_THRESHOLD_ROWS = 10
    settings.MEDIA_ROOT = celery_worker_process["media_root"]  # where the worker stores files
    course = CourseFactory(title="Sepsis Grand Rounds")
    for i in range(25):
        CreditRecordFactory(course=course, user=UserFactory(full_name=f"Learner {i:02d}"))
    client.force_login(admin_user)
    response = client.post(reverse("reports:export", args=["credit_report"]),
                           {"format": "xlsx"})
    run = ExportRun.objects.get()
    assert response.url == reverse("reports:run_detail", args=[run.pk])

    def finished():
        run.refresh_from_db()
        return run.is_finished

    wait_for(finished, timeout=60)
    assert run.status == "done", run.error
    assert (run.rows_done, run.rows_total) == (25, 25)
    assert run.started_at and run.finished_at

    progress = client.get(reverse("reports:run_progress", args=[run.pk]))
    assert "hx-trigger" not in progress.text  # polling stops once done
    assert reverse("reports:run_download", args=[run.pk]) in progress.text
    download = client.get(reverse("reports:run_download", args=[run.pk]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="credit-report-{run.pk}.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == [f"Learner {i:02d}" for i in range(25)]


@pytest.mark.django_db
def test_running_export_shows_rows_written_and_a_progress_bar(client, admin_user):
    run = ExportRun.objects.create(exporter="credit_report", format="csv",
                                   delivery="background", requested_by=admin_user,
                                   status="running", rows_total=1_000_000)
    export_progress_record(run_id=run.pk, rows_done=250_000)
    client.force_login(admin_user)
    response = client.get(reverse("reports:run_progress", args=[run.pk]))
    assert "250,000 of about 1,000,000 rows written" in response.text
    assert 'max="100" value="25"' in response.text


@pytest.mark.django_db
def test_task_delivered_twice_builds_the_file_once(admin_user, records):
    from credits.reports.tasks import export_run_build

    run = ExportRun.objects.create(exporter="credit_report", format="csv",
                                   delivery="background", requested_by=admin_user,
                                   rows_total=3)
    assert export_run_build.apply(args=[run.pk]).get() == "done"
    run.refresh_from_db()
    first_file = run.file.name
    assert export_run_build.apply(args=[run.pk]).get() == "already-done"
    run.refresh_from_db()
    assert run.file.name == first_file
    assert run.rows_done == 3


@pytest.mark.django_db
def test_a_run_whose_filters_no_longer_validate_fails_with_a_readable_error(admin_user):
    from credits.reports.tasks import export_run_build

    run = ExportRun.objects.create(exporter="credit_report", format="csv",
                                   delivery="background", requested_by=admin_user,
                                   filters={"course": 999999})
    assert export_run_build.apply(args=[run.pk]).get() == "failed"
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("The filters are no longer valid")


@pytest.mark.django_db
def test_history_shows_who_exported_what_with_which_filters(
        client, admin_user, records, django_assert_num_queries):
    client.force_login(admin_user)
    client.post(reverse("reports:export", args=["credit_report"]),
                {"profession": "physician", "format": "csv"}).getvalue()
    client.post(reverse("reports:export", args=["annual_summary"]),
                {"year": "2026", "format": "xlsx"}).getvalue()
    response = client.get(reverse("reports:history"))
    assert "Profession: Physician" in response.text
    assert "Year: 2026" in response.text
    assert "Dana Whitfield" in response.text

    csv_rows = _parse(client.get(reverse("reports:history_csv")))
    assert csv_rows[0][:4] == ["Export", "Report", "Filters", "Format"]
    assert [(row[1], row[2], row[3], row[5], row[8]) for row in csv_rows[1:]] == [
        ("Annual activity summary", "Year: 2026", "xlsx", "Dana Whitfield", "Done"),
        ("Credit report", "Profession: Physician", "csv", "Dana Whitfield", "Done"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("runs", [2, 30])
def test_history_page_query_count_does_not_grow_with_runs(
        client, admin_user, runs, django_assert_num_queries):
    people = [UserFactory() for _ in range(3)]
    for i in range(runs):
        ExportRun.objects.create(exporter="credit_report", format="csv", delivery="streamed",
                                 requested_by=people[i % 3], status="done",
                                 filters_summary="no filters", finished_at=timezone.now())
    client.force_login(admin_user)
    # session, user, groups (role check), MFA check, count, page of runs
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:history"))
    assert response.text.count("no filters") == runs


@pytest.mark.django_db
def test_course_director_downloads_their_roster_and_it_is_logged(client, educator):
    course = CourseFactory(title="Simulation drills", slug="simulation-drills")
    course.directors.add(educator)
    CreditRecordFactory(course=course, user=UserFactory(full_name="Priya Raman"))
    client.force_login(educator)
    response = client.get(reverse("reports:educator_roster", args=[course.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="roster-simulation-drills.csv"'
    rows = _parse(response)
    assert rows[1][0] == "Priya Raman"
    run = ExportRun.objects.get()
    assert (run.exporter, run.requested_by, run.filters) == (
        "course_roster", educator, {"course": course.pk})


@pytest.mark.django_db
def test_educator_cannot_download_a_roster_of_a_course_they_do_not_direct(client, educator):
    course = CourseFactory()
    client.force_login(educator)
    assert client.get(reverse("reports:educator_roster", args=[course.pk])).status_code == 404
    assert not ExportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 20])
def test_index_and_report_pages_query_count_does_not_grow(
        client, admin_user, extra, django_assert_num_queries):
    for _ in range(extra):
        CourseFactory()
        ExportRun.objects.create(exporter="credit_report", format="csv", delivery="streamed",
                                 requested_by=admin_user, status="done",
                                 finished_at=timezone.now())
    client.force_login(admin_user)
    # What a process looks up once and keeps (the credit types, the professions) is not these
    # pages' cost.
    credit_type_catalog()
    profession_choices()
    # session, user, groups (role check), MFA check, then the page's own query
    with django_assert_num_queries(5):
        assert client.get(reverse("reports:index")).status_code == 200
    with django_assert_num_queries(5):  # the activity choices
        assert client.get(reverse("reports:export", args=["credit_report"])).status_code == 200


@pytest.mark.django_db
def test_transcript_and_history_downloads_go_through_the_exporters_and_the_export_log(
        client, clinician, admin_user):
    CreditRecordFactory(user=clinician, course=CourseFactory(title="Sepsis Grand Rounds"))
    client.force_login(clinician)
    transcript = _parse(client.get(reverse("reports:transcript_csv"), {"voided": "on"}))
    assert [row[0] for row in transcript[1:]] == ["Sepsis Grand Rounds"]
    run = ExportRun.objects.get()
    assert (run.exporter, run.requested_by, run.status, run.rows_done) == (
        "transcript", clinician, "done", 1)
    assert "Show voided records: True" in run.filters_summary

    client.force_login(admin_user)
    history = _parse(client.get(reverse("reports:history_csv")))
    assert [(row[1], row[5], row[8]) for row in history[1:]] == [
        ("Transcript", clinician.full_name, "Done")]
    assert ExportRun.objects.filter(exporter="export_history", status="done").count() == 1
