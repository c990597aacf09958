"""The package questions-and-answers export: SCORM interactions of each attempt's last commit
and cmi5 answers, formula cells escaped, for the course's directors and the CME office, in a
fixed number of queries."""
import csv
import io
import uuid

import pytest
from django.urls import reverse

from credits.online.scorm.services import sco_attempt_launch, sco_commit_record
from credits.reports.exporters import EXPORTERS
from tests.credits.online.cmi5.helpers import AuClient, make_cmi5_module
from tests.credits.online.helpers import enrol
from tests.credits.online.scorm.helpers import make_package_module, scorm12_cmi
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _answered(user, course, response: str) -> None:
    enrol(user, course)
    attempt = sco_attempt_launch(user=user, course=course, sco_number=1)
    cmi = {**scorm12_cmi(status="failed", raw="50"), "interactions": {
        "0": {"id": "moments", "type": "choice", "student_response": response,
              "result": "wrong"}}}
    for _ in range(2):  # only the last commit's interactions count
        sco_commit_record(user=user, attempt_id=attempt.pk, commit_id=uuid.uuid4(), cmi=cmi,
                          terminate=False)


def test_scorm_answers_are_exported_escaped_for_the_director_only(client, educator, clinician):
    course, _ = make_package_module(director=educator, title="Hand hygiene")
    _answered(clinician, course, '=HYPERLINK("http://evil.example")')
    client.force_login(clinician)
    url = reverse("reports:package_interactions", args=[course.pk, "csv"])
    assert client.get(url).status_code in (403, 404)
    client.force_login(educator)
    response = client.get(url)
    body = (b"".join(response.streaming_content) if response.streaming else response.content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Learner name", "Email", "Package version", "Part", "Attempt",
                           "Question"]
    assert [row[5:9] for row in rows[1:]] == [
        ["moments", "choice", "'=HYPERLINK(\"http://evil.example\")", "wrong"]]


def test_cmi5_answers_are_exported(client, educator, clinician):
    course, _ = make_cmi5_module(director=educator, title="Transfusion")
    enrol(clinician, course)
    client.force_login(clinician)
    au = AuClient(client, client.get(reverse("cmi5:player", args=[course.slug, 1]))
                  .context["launch"].url)
    client.logout()
    au.start()
    answered = {**au.statement("initialized"),
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": au.params["activityId"] + "/q1", "definition": {
                    "name": {"en-US": "Who is identified from the band?"},
                    "interactionType": "choice"}},
                "result": {"response": "unconscious", "success": True}}
    assert au.send(au.statement("initialized"), answered).status_code == 200
    rows = list(EXPORTERS["package_interactions"].rows({"course": course}))
    assert [row[3:9] for row in rows[1:]] == [
        ("Identity checks", 1, "Who is identified from the band?", "choice", "unconscious",
         "correct")]


@pytest.mark.parametrize("learners", [1, 3])
def test_the_export_query_count_does_not_grow_with_learners(educator, learners,
                                                           django_assert_num_queries):
    course, _ = make_package_module(director=educator, title="Hand hygiene")
    for _ in range(learners):
        _answered(UserFactory(), course, "a")
    with django_assert_num_queries(2):
        rows = list(EXPORTERS["package_interactions"].rows({"course": course}))
    assert len(rows) == learners + 1
