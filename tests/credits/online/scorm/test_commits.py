"""Launching SCOs and recording commits: resume, idempotent retries and two tabs, append-only
commits, the completion rules flowing into module completion, evaluation, claim and
certificate, and a new package version keeping what learners did."""
import json
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from courses.packages.services import package_publish, package_upload
from courses.packages.tasks import package_extract
from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.online.models import ModuleProgress
from credits.online.scorm.launch import launch_cmi
from credits.online.scorm.models import ScoAttempt, ScoCommit
from credits.online.scorm.services import (
    AttemptClosed,
    sco_attempt_launch,
    sco_commit_record,
)
from credits.online.selectors import module_state_for
from tests.courses.packages import builders
from tests.credits.online.helpers import enrol
from tests.credits.online.scorm.helpers import make_package_module, scorm12_cmi, scorm2004_cmi

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(educator):
    course, package = make_package_module(director=educator, title="Hand hygiene")
    return course


def _commit(user, attempt, cmi, *, terminate=False, commit_id=None):
    return sco_commit_record(user=user, attempt_id=attempt.pk, cmi=cmi, terminate=terminate,
                             commit_id=commit_id or uuid.uuid4())


def _in_four_tabs_at_once(tab) -> None:
    """Run `tab` in four threads, each on its own database connection; fail on any error."""
    errors = []

    def run():
        try:
            tab()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_fail_then_pass_completes_the_module_and_flows_to_the_certificate(clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    _commit(clinician, attempt, scorm12_cmi(status="failed", raw="50"), terminate=True)
    assert not ModuleProgress.objects.get(user=clinician, course=module).completed_at
    second = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    assert second.number == 2  # Finish without suspend ended the first attempt
    _commit(clinician, second, scorm12_cmi(status="passed", raw="100"), terminate=True)
    progress = ModuleProgress.objects.get(user=clinician, course=module)
    assert progress.completed_at is not None
    second.refresh_from_db()
    assert (second.score_raw, second.score_percent, second.lesson_status) == (
        Decimal("100"), Decimal("100.00"), "passed")
    evaluation_submit(user=clinician, course=module, answers={})
    [record] = credit_claim(user=clinician, course=module,
                            amounts={"ama_pra_1": Decimal("1.50")})
    assert record.completed_on == progress.completed_on


def test_resume_gives_back_location_and_suspend_data_on_another_device(clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    assert launch_cmi(attempt=attempt, user=clinician)["core"]["entry"] == "ab-initio"
    _commit(clinician, attempt, scorm12_cmi(location="page-4", suspend="visits=2",
                                            exit="suspend"), terminate=True)
    again = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    assert again.pk == attempt.pk
    cmi = launch_cmi(attempt=again, user=clinician)
    assert (cmi["core"]["entry"], cmi["core"]["lesson_location"], cmi["suspend_data"]) == (
        "resume", "page-4", "visits=2")
    assert cmi["student_data"]["mastery_score"] == "80"


def test_a_browser_closed_without_finish_resumes_the_same_attempt(clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    _commit(clinician, attempt, scorm12_cmi(location="page-2", session="00:05:00"))
    again = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    assert again.pk == attempt.pk and again.closed_at is None
    _commit(clinician, again, scorm12_cmi(location="page-3", session="00:02:00"))
    again.refresh_from_db()
    assert again.seconds_spent == 7 * 60  # two sessions, each from zero


def test_a_retried_commit_is_stored_once_and_commits_are_append_only(clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    commit_id = uuid.uuid4()
    first = _commit(clinician, attempt, scorm12_cmi(status="passed"), commit_id=commit_id)
    retried = _commit(clinician, attempt, scorm12_cmi(status="passed"), commit_id=commit_id)
    assert (first.pk, first.created, retried.created) == (retried.pk, True, False)
    assert ScoCommit.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoCommit.objects.filter(pk=first.pk).update(terminate=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoCommit.objects.filter(pk=first.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM scorm_scoattempt")


def test_a_commit_for_someone_elses_attempt_or_a_finished_one_is_refused(
        clinician, other_clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    with pytest.raises(ValidationError, match="not yours"):
        _commit(other_clinician, attempt, scorm12_cmi())
    _commit(clinician, attempt, scorm12_cmi(status="completed"), terminate=True)
    with pytest.raises(AttemptClosed):
        _commit(clinician, attempt, scorm12_cmi(status="incomplete"))


@pytest.mark.django_db(transaction=True)
def test_two_tabs_launching_and_committing_at_once_share_one_attempt_and_complete_once(
        clinician, educator):
    course, _ = make_package_module(director=educator, title="Two tabs")
    enrol(clinician, course)
    attempts = []

    def tab():
        attempt = sco_attempt_launch(user=clinician, course=course, sco_number=1)
        attempts.append(attempt.pk)
        _commit(clinician, attempt, scorm12_cmi(status="passed", raw="90"))

    _in_four_tabs_at_once(tab)
    assert len(set(attempts)) == 1 and ScoAttempt.objects.count() == 1
    assert ScoCommit.objects.count() == 4
    assert ModuleProgress.objects.filter(user=clinician, completed_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_commit_sent_from_two_tabs_at_once_is_stored_and_counted_once(clinician, educator):
    course, _ = make_package_module(director=educator, title="Same commit twice")
    enrol(clinician, course)
    attempt = sco_attempt_launch(user=clinician, course=course, sco_number=1)
    commit_id, outcomes = uuid.uuid4(), []
    _in_four_tabs_at_once(lambda: outcomes.append(
        _commit(clinician, attempt, scorm12_cmi(session="00:03:00"), commit_id=commit_id)))
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert sorted(outcome.created for outcome in outcomes) == [False, False, False, True]
    attempt.refresh_from_db()
    assert ScoCommit.objects.count() == 1 and attempt.seconds_spent == 3 * 60


def test_a_later_commit_reporting_less_keeps_the_completion_and_updates_the_summary(
        clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    _commit(clinician, attempt, scorm12_cmi(status="passed", raw="90"))
    attempt.refresh_from_db()
    satisfied_at = attempt.satisfied_at
    _commit(clinician, attempt, scorm12_cmi(status="incomplete", location="page-9",
                                            session="00:04:00"))
    attempt.refresh_from_db()
    assert attempt.satisfied_at == satisfied_at is not None
    assert (attempt.lesson_status, attempt.location, attempt.score_raw, attempt.seconds_spent,
            attempt.closed_at) == ("incomplete", "page-9", None, 4 * 60, None)
    assert ModuleProgress.objects.get(user=clinician, course=module).completed_at is not None


def test_the_finishing_commit_retried_is_answered_not_refused(clinician, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    commit_id = uuid.uuid4()
    finished = _commit(clinician, attempt, scorm12_cmi(status="failed"), terminate=True,
                       commit_id=commit_id)
    retried = _commit(clinician, attempt, scorm12_cmi(status="failed"), terminate=True,
                      commit_id=commit_id)
    assert (retried.pk, retried.created) == (finished.pk, False)
    with pytest.raises(AttemptClosed):
        _commit(clinician, attempt, scorm12_cmi(status="failed"), terminate=True)


def test_scorm_2004_multi_sco_needs_every_sco_with_the_manifest_pass_mark(clinician, educator):
    course, _ = make_package_module(director=educator, zip_bytes=builders.scorm2004_zip(),
                                    title="Central-line care")
    enrol(clinician, course)
    insertion = sco_attempt_launch(user=clinician, course=course, sco_number=1)
    _commit(clinician, insertion, scorm2004_cmi(completion="completed"), terminate=True)
    maintenance = sco_attempt_launch(user=clinician, course=course, sco_number=2)
    assert launch_cmi(attempt=maintenance, user=clinician)["scaled_passing_score"] == "0.8"
    _commit(clinician, maintenance, scorm2004_cmi(completion="completed", scaled="0.6"),
            terminate=True)
    state = module_state_for(user=clinician, course=course)
    assert [step.satisfied for step in state.package_state.steps] == [True, False]
    assert not state.complete and state.package_due
    retry = sco_attempt_launch(user=clinician, course=course, sco_number=2)
    _commit(clinician, retry, scorm2004_cmi(completion="completed", scaled="0.9"),
            terminate=True)
    assert module_state_for(user=clinician, course=course).complete


def test_a_new_version_keeps_what_learners_did(clinician, educator, module):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    _commit(clinician, attempt, scorm12_cmi(status="passed"), terminate=True)
    new = package_upload(course=module, editor=educator, upload=SimpleUploadedFile(
        "v2.zip", builders.scorm12_zip(title="Hand hygiene 2027")))
    package_extract.apply(args=[new.pk])
    new.refresh_from_db()
    package_publish(package=new, editor=educator)
    state = module_state_for(user=clinician, course=module)
    assert state.package_state.package == new and state.package_state.satisfied
    assert ScoAttempt.objects.get().package_id == attempt.package_id


def test_the_commit_endpoint_answers_scorm_again_and_only_the_owner(
        client, clinician, other_clinician, module):
    enrol(clinician, module)
    client.force_login(clinician)
    page = client.get(reverse("scorm:player", args=[module.slug, 1]))
    assert page.status_code == 200
    attempt = ScoAttempt.objects.get()
    url = reverse("scorm:commit", args=[module.slug, attempt.pk])
    body = {"commit_id": str(uuid.uuid4()), "terminate": False,
            "cmi": {"cmi": scorm12_cmi(status="passed", raw="85")}}
    origin = {"HTTP_ORIGIN": "http://testserver"}
    response = client.post(url, json.dumps(body), content_type="application/json", **origin)
    assert response.json() == {"result": True, "errorCode": 0}
    assert client.post(url, "not json", content_type="application/json",
                       **origin).status_code == 400
    # Without the CSRF token: another site's form or script cannot post it.
    assert client.post(url, json.dumps(body), content_type="application/json",
                       HTTP_ORIGIN="https://evil.example").status_code == 403
    assert client.post(url, json.dumps(body), content_type="text/plain").status_code == 403
    client.force_login(other_clinician)
    assert client.post(url, json.dumps(body), content_type="application/json",
                       **origin).status_code == 404


def test_a_commit_through_the_endpoint_takes_a_fixed_number_of_queries(
        client, clinician, module, django_assert_num_queries):
    enrol(clinician, module)
    attempt = sco_attempt_launch(user=clinician, course=module, sco_number=1)
    client.force_login(clinician)
    url = reverse("scorm:commit", args=[module.slug, attempt.pk])

    def post(cmi):
        body = {"commit_id": str(uuid.uuid4()), "terminate": False, "cmi": {"cmi": cmi}}
        assert client.post(url, json.dumps(body), content_type="application/json",
                           HTTP_ORIGIN="http://testserver").status_code == 200

    # The session, the learner, the attempt's package rules, and one statement that locks the
    # attempt, stores the commit and updates the summary (bench/scorm_commits.py).
    with django_assert_num_queries(4):
        post(scorm12_cmi(location="page-2"))
    # A commit that can complete the module also records the completion, in one transaction.
    with django_assert_num_queries(20):
        post(scorm12_cmi(status="passed", raw="90"))


def test_package_content_is_served_sandboxed_and_the_launch_page_to_its_owner_only(
        client, clinician, other_clinician, module):
    enrol(clinician, module)
    client.force_login(clinician)
    page = client.get(reverse("scorm:player", args=[module.slug, 1])).content.decode()
    launch_url = page.split('data-src="', 1)[1].split('"', 1)[0]
    launch = client.get(launch_url)
    policy = launch["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts") and "allow-same-origin" not in policy
    assert "frame-ancestors 'self'" in policy and launch["X-Frame-Options"] == "SAMEORIGIN"
    body = launch.content.decode()
    assert body.index('id="cpd-package-seed"') < body.index("<h1>")
    assert '"cmi.core.entry": "ab-initio"' in body and "cross-frame-api.min.js" in body
    script_url = launch_url.replace("index.html", "sco.js")
    client.logout()  # a sandboxed page's own requests carry no cookies: the token is enough
    assert client.get(script_url).content.decode() == builders.SCO_12_JS
    assert client.get(launch_url).status_code == 404  # the learner's data: owner only
    client.force_login(other_clinician)
    assert client.get(launch_url).status_code == 404
    assert client.get(launch_url.replace("index.html", "../../settings.py")).status_code == 404
    assert client.get("/package-content/forged/index.html").status_code == 404


def _learner_passes(user, course, raw="90"):
    enrol(user, course)
    attempt = sco_attempt_launch(user=user, course=course, sco_number=1)
    cmi = scorm12_cmi(status="failed", raw="40", session="00:10:00")
    cmi["interactions"] = {"0": {"id": "moment-before-aseptic", "type": "choice",
                                 "student_response": "after-patient", "result": "wrong"}}
    _commit(user, attempt, cmi, terminate=True)
    again = sco_attempt_launch(user=user, course=course, sco_number=1)
    _commit(user, again, scorm12_cmi(status="passed", raw=raw, session="00:05:00"),
            terminate=True)
    return attempt


def test_the_director_sees_the_figures_and_a_learners_attempt_commit_by_commit(
        client, clinician, other_clinician, educator, module):
    first = _learner_passes(clinician, module)
    enrol(other_clinician, module)
    sco_attempt_launch(user=other_clinician, course=module, sco_number=1)
    client.force_login(educator)
    html = client.get(reverse("scorm:results", args=[module.pk])).content.decode()
    assert "<dt>Learners started</dt><dd>2</dd>" in html
    assert "<dt>Completed</dt><dd>1</dd>" in html and "<dt>Passed</dt><dd>1</dd>" in html
    assert '<td data-label="90–100%">1</td>' in html
    assert "<dt>Median time</dt><dd>8 min</dd>" in html  # 15 min and 0 min
    detail = client.get(reverse("scorm:attempt", args=[module.pk, first.pk])).content.decode()
    assert "Finish" in detail and "moment-before-aseptic" in detail and "after-patient" in detail
    assert client.get(reverse("scorm:attempt", args=[module.pk, 999999])).status_code == 404


def test_the_results_page_query_count_does_not_grow_with_learners(
        client, educator, django_assert_num_queries):
    from tests.factories import UserFactory

    course, _ = make_package_module(director=educator, title="Counted")
    client.force_login(educator)
    for size in (1, 4):
        for _ in range(size):
            _learner_passes(UserFactory(), course)
        # The same count at 1 and 5 learners: two queries read the attempts, whatever their number.
        with django_assert_num_queries(8):
            client.get(reverse("scorm:results", args=[course.pk]))
