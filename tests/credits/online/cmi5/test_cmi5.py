"""cmi5 end to end on the server: launch (URL, LMS.LaunchData, "launched"), the one-time fetch
token, statements checked, stored once and append-only, "abandoned" on a relaunch, the xAPI
scope of a token, and moveOn into the module's completion, claim and certificate."""
import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.online.cmi5.models import AuSession, Registration, Statement
from credits.online.models import ModuleProgress
from credits.online.scorm.models import ScoAttempt
from tests.credits.online.cmi5.helpers import AuClient, make_cmi5_module
from tests.credits.online.helpers import enrol
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(educator):
    course, _package = make_cmi5_module(director=educator, title="Blood transfusion")
    return course


def _launch(client, user, course, au_number) -> AuClient:
    client.force_login(user)
    response = client.get(reverse("cmi5:player", args=[course.slug, au_number]))
    assert response.status_code == 200
    launch_url = response.context["launch"].url
    client.logout()  # the AU's own requests carry no cookie: only its token
    return AuClient(client, launch_url)


def _verbs(registration) -> list[str]:
    return [row.verb_id.rsplit("/", 1)[1] for row in Statement.objects.filter(
        registration=registration).order_by("stored_at", "pk")]


def test_launch_gives_the_spec_parameters_launch_data_and_a_launched_statement(
        client, clinician, module):
    enrol(clinician, module)
    au = _launch(client, clinician, module, 2)
    assert set(au.params) == {"endpoint", "fetch", "actor", "registration", "activityId",
                              "part"}  # "part" is the AU's own query from cmi5.xml
    assert au.actor == {"objectType": "Agent", "account": {
        "homePage": au.actor["account"]["homePage"], "name": str(clinician.pk)}}
    assert au.params["activityId"] != "https://cpd.example.org/courses/transfusion/reactions"
    au.start()
    launch_data = json.loads(au.state_get("LMS.LaunchData").content)
    assert (launch_data["moveOn"], launch_data["masteryScore"], launch_data["launchMode"],
            launch_data["launchParameters"]) == ("CompletedAndPassed", 0.8, "Normal",
                                                 "mode=quiz")
    registration = Registration.objects.get(user=clinician)
    assert _verbs(registration) == ["launched"]
    # The scorm step URL of a cmi5 package leads to the cmi5 player.
    client.force_login(clinician)
    assert client.get(reverse("scorm:player", args=[module.slug, 2])).url == reverse(
        "cmi5:player", args=[module.slug, 2])


def test_the_fetch_url_returns_the_token_once(client, clinician, module):
    enrol(clinician, module)
    au = _launch(client, clinician, module, 1)
    first = au.fetch()
    assert set(first) == {"auth-token"}
    second = au.fetch()
    assert second["error-code"] == "1" and "auth-token" not in second
    unknown = client.post(reverse("cmi5:fetch", args=["not-a-key"])).json()
    assert unknown["error-code"] == "2"


def test_move_on_completes_the_module_and_flows_to_the_certificate(client, clinician, module):
    enrol(clinician, module)
    checks = _launch(client, clinician, module, 1)
    checks.start()
    assert checks.send(checks.statement("initialized"),
                       checks.statement("completed", completion=True),
                       checks.statement("terminated", duration="PT4M")).status_code == 200
    progress = ModuleProgress.objects.get(user=clinician, course=module)
    assert progress.completed_at is None  # the reactions AU is still to pass
    reactions = _launch(client, clinician, module, 2)
    reactions.start()
    reactions.send(reactions.statement("initialized"))
    reactions.send(reactions.statement("failed", success=False, score={"scaled": 0.6}))
    assert reactions.send(reactions.statement("completed", completion=True)).status_code == 200
    assert ModuleProgress.objects.get(pk=progress.pk).completed_at is None  # not yet passed
    reactions.send(reactions.statement("passed", success=True, score={"scaled": 0.9}),
                   reactions.statement("terminated", duration="PT6M"))
    assert ModuleProgress.objects.get(pk=progress.pk).completed_at is not None
    registration = Registration.objects.get(user=clinician)
    assert _verbs(registration)[-1] == "satisfied" and registration.satisfied_at
    attempt = ScoAttempt.objects.get(user=clinician, sco_identifier__endswith="reactions")
    assert (str(attempt.score_percent), attempt.success_status, attempt.seconds_spent) == (
        "90.00", "passed", 360)
    # The card (NotApplicable) was satisfied at registration without a launch.
    assert ScoAttempt.objects.get(user=clinician, sco_identifier__endswith="card").satisfied
    evaluation_submit(user=clinician, course=module, answers={})
    [record] = credit_claim(user=clinician, course=module,
                            amounts={"ama_pra_1": Decimal("1.50")})
    assert record.completed_on == ModuleProgress.objects.get(pk=progress.pk).completed_on


def test_a_replayed_statement_counts_once_and_a_changed_one_conflicts(client, clinician,
                                                                      module):
    enrol(clinician, module)
    au = _launch(client, clinician, module, 1)
    au.start()
    initialized = au.statement("initialized")
    completed = au.statement("completed", completion=True)
    assert au.send(initialized, completed).json() == [initialized["id"], completed["id"]]
    assert au.send(initialized, completed).status_code == 200  # a retried request
    put = au.client.put(f"{au.endpoint}statements?statementId={completed['id']}",
                        json.dumps(completed), content_type="application/json",
                        headers=au.headers())
    assert put.status_code == 204
    assert Statement.objects.filter(by_portal=False).count() == 2
    changed = {**completed, "result": {"completion": True, "duration": "PT1M"}}
    assert au.send(changed).status_code == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(statement_id=completed["id"]).update(verb_id="x")


@pytest.mark.parametrize(("statements", "message"), [
    (lambda au: [au.statement("completed", completion=True)], "first statement"),
    (lambda au: [au.statement("initialized"), au.statement("initialized")], "already"),
    (lambda au: [au.statement("initialized"), {
        **au.statement("initialized"), "verb": {"id": "https://w3id.org/xapi/adl/verbs/satisfied"}}],
     "Only the portal writes"),
    (lambda au: [au.statement("initialized"), au.statement("completed")], "completion"),
    (lambda au: [au.statement("initialized"),
                 au.statement("passed", success=True, score={"scaled": 0.5})], "masteryScore"),
    (lambda au: [au.statement("initialized"), {**au.statement("completed", completion=True),
                                               "object": {"id": "https://elsewhere"}}],
     "activityId"),
    (lambda au: [{**au.statement("initialized"), "actor": {"mbox": "mailto:x@example.org"}}],
     "actor"),
])
def test_a_statement_breaking_a_cmi5_rule_is_refused_whole(client, clinician, module,
                                                          statements, message):
    enrol(clinician, module)
    au = _launch(client, clinician, module, 2)
    au.start()
    response = au.send(*statements(au))
    assert response.status_code == 403 and message in response.json()["error"]
    assert Statement.objects.filter(by_portal=False).count() == 0


def test_a_relaunch_abandons_the_open_session_and_its_token(client, clinician, module):
    enrol(clinician, module)
    first = _launch(client, clinician, module, 1)
    first.start()
    first.send(first.statement("initialized"))
    second = _launch(client, clinician, module, 1)
    assert _verbs(Registration.objects.get())[-2:] == ["abandoned", "launched"]
    assert AuSession.objects.filter(abandoned_at__isnull=False).count() == 1
    assert first.send(first.statement("completed", completion=True)).status_code == 401
    second.start()
    assert second.send(second.statement("initialized")).status_code == 200


def test_a_token_reaches_its_own_registration_only(client, clinician, module):
    enrol(clinician, module)
    other = UserFactory()
    enrol(other, module)
    mine = _launch(client, clinician, module, 1)
    mine.start()
    theirs = _launch(client, other, module, 1)
    theirs.start()
    theirs.send(theirs.statement("initialized"))
    assert mine.send(mine.statement("initialized"), token="wrong").status_code == 401
    listed = client.get(f"{mine.endpoint}statements", headers=mine.headers()).json()
    assert {row["actor"]["account"]["name"] for row in listed["statements"]} == {
        str(clinician.pk)}
    foreign_state = client.get(f"{mine.endpoint}activities/state?"
                               f"{theirs.state_params('LMS.LaunchData')}",
                               headers=mine.headers())
    assert foreign_state.status_code == 403
    write_launch_data = client.put(f"{mine.endpoint}activities/state?"
                                   f"{mine.state_params('LMS.LaunchData')}", "{}",
                                   content_type="application/json", headers=mine.headers())
    assert write_launch_data.status_code == 403
    preflight = client.options(f"{mine.endpoint}statements")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]


def test_the_director_sees_an_aus_sessions_and_statements(client, clinician, educator, module):
    enrol(clinician, module)
    au = _launch(client, clinician, module, 1)
    au.start()
    au.send(au.statement("initialized"))
    _launch(client, clinician, module, 1)  # the first session is abandoned
    attempt = ScoAttempt.objects.get(user=clinician, sco_identifier__endswith="checks")
    client.force_login(educator)
    html = client.get(reverse("scorm:attempt", args=[module.pk, attempt.pk])).content.decode()
    assert "Session 1" in html and "abandoned (closed without" in html
    assert "The AU never fetched its token" in html  # the second session, not started
    assert html.count("http://adlnet.gov/expapi/verbs/launched") == 2
    assert "https://w3id.org/xapi/adl/verbs/abandoned" in html
