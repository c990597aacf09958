"""Bulk regeneration of a course's certificates, its progress page, and the learner's list."""
import pytest
from pypdf import PdfReader

from credits.certificates.tasks import certificate_render
from credits.models import Certificate, CertificateRegeneration
from tests.courses.test_catalog_query_budget import MY_LEARNING_QUERIES
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import UserFactory

URL = "/review/courses/{}/certificates/"


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _course_with_certificates(count, django_capture_on_commit_callbacks):
    course = make_course(title="Grand Rounds: Sepsis Recognitoin")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(count):
            claim_credit(UserFactory(), course)
    return course


def test_administrator_regenerates_every_certificate_after_fixing_the_title(
        admin_user, client, django_capture_on_commit_callbacks):
    course = _course_with_certificates(3, django_capture_on_commit_callbacks)
    codes = set(Certificate.objects.values_list("verification_code", flat=True))
    course.title = "Grand Rounds: Sepsis Recognition"
    course.save()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL.format(course.pk))
    assert response.status_code == 302
    run = CertificateRegeneration.objects.get()
    assert run.total == 3
    progress = client.get(URL.format(course.pk) + "progress/")
    assert "3 of 3 done" in progress.text
    assert "Done: all 3 certificates regenerated" in progress.text
    assert "hx-trigger" not in progress.text  # polling stops when the run is done
    for certificate in Certificate.objects.all():
        assert certificate.version == 2 and certificate.status == Certificate.Status.READY
        with certificate.pdf.open("rb") as handle:
            assert "Sepsis Recognition" in PdfReader(handle).pages[0].extract_text()
    assert set(Certificate.objects.values_list("verification_code", flat=True)) == codes


def test_run_survives_lost_and_repeated_tasks_without_gaps_or_duplicates(
        admin_user, client, django_capture_on_commit_callbacks):
    course = _course_with_certificates(3, django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):  # the worker restarts: nothing ran
        client.post(URL.format(course.pk))
    page = client.get(URL.format(course.pk))
    assert "0 of 3 done" in page.text and 'hx-trigger="every 1s"' in page.text
    first, *rest = Certificate.objects.order_by("pk")
    certificate_render.apply(args=[first.pk])  # one redelivered task
    assert "1 of 3 done" in client.get(URL.format(course.pk) + "progress/").text
    for certificate in [first, *rest, *rest]:  # the rest redelivered, some twice
        certificate_render.apply(args=[certificate.pk])
    assert "3 of 3 done" in client.get(URL.format(course.pk) + "progress/").text
    attempts = list(Certificate.objects.values_list("attempts", flat=True))
    assert attempts == [2, 2, 2]  # once per version: the first issue and this run
    assert CertificateRegeneration.objects.get().status == CertificateRegeneration.Status.DONE


def test_a_second_request_while_running_joins_the_running_run(
        admin_user, client, django_capture_on_commit_callbacks):
    course = _course_with_certificates(2, django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(URL.format(course.pk))
        client.post(URL.format(course.pk))
    assert CertificateRegeneration.objects.count() == 1
    assert set(Certificate.objects.values_list("version", flat=True)) == {2}


@pytest.mark.parametrize("count", [2, 12])
def test_progress_partial_queries_do_not_grow_with_the_course(
        count, admin_user, client, django_capture_on_commit_callbacks,
        django_assert_num_queries):
    course = _course_with_certificates(count, django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(URL.format(course.pk))
    # Reads only (issue 11): the worker stores the counts, so polling runs no UPDATE.
    with django_assert_num_queries(7):
        client.get(URL.format(course.pk) + "progress/")


@pytest.mark.parametrize("count", [1, 8])
def test_my_learning_lists_certificates_in_constant_queries(
        count, clinician, client, django_capture_on_commit_callbacks,
        django_assert_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(count):
            claim_credit(clinician, make_course(title=f"Rounds {number}"))
    client.force_login(clinician)
    with django_assert_num_queries(MY_LEARNING_QUERIES):  # past courses
        response = client.get("/learning/")
    assert response.text.count("Download PDF") == count
