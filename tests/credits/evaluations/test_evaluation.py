"""Course evaluations: default ACCME-style questions, one response each, aggregate results."""
import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.roles import Role
from credits.evaluations.selectors import evaluation_questions_for
from credits.models import EvaluationQuestion, EvaluationResponse
from tests.credits.claim_world import attended_course
from tests.factories import AttendanceFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answers(questions, *, bias="yes", rating=5, comment="Great cases", explain=""):
    by_key = {q.default_key: q for q in questions}
    return {
        f"q{by_key['objectives-met'].pk}": rating,
        f"q{by_key['change-practice'].pk}": rating,
        f"q{by_key['change-practice'].pk}_follow_up": "Earlier antibiotics",
        f"q{by_key['free-of-bias'].pk}": bias,
        f"q{by_key['free-of-bias'].pk}_follow_up": explain,
        f"q{by_key['overall'].pk}": rating,
        f"q{by_key['comments'].pk}": comment,
    }


def test_a_course_without_questions_uses_the_accme_defaults():
    questions = evaluation_questions_for(CourseFactory())
    assert [q.default_key for q in questions] == [
        "objectives-met", "change-practice", "free-of-bias", "overall", "comments"]
    assert questions[1].follow_up_prompt == "What will you change?"
    assert questions[2].kind == "yes_no"


def test_a_course_with_its_own_questions_asks_those():
    course = CourseFactory()
    own = EvaluationQuestion.objects.create(course=course, text="Was the simulation realistic?",
                                            kind="likert")
    assert evaluation_questions_for(course) == [own]


def test_clinician_who_attended_completes_the_evaluation_once(client, clinician):
    course = attended_course(clinician)
    client.force_login(clinician)
    url = reverse("evaluations:evaluation", args=[course.slug])
    page = client.get(url)
    assert "The content met the stated learning objectives." in page.content.decode()
    response = client.post(url, _answers(evaluation_questions_for(course)))
    assert response.status_code == 302
    assert response.url == reverse("ledger:claim", args=[course.slug])
    evaluation = EvaluationResponse.objects.get(user=clinician, course=course)
    assert evaluation.answers.count() == 5
    assert client.get(url).status_code == 302  # done: sent on to the claim


def test_commercial_bias_answered_no_needs_an_explanation(client, clinician):
    course = attended_course(clinician)
    client.force_login(clinician)
    response = client.post(reverse("evaluations:evaluation", args=[course.slug]),
                           _answers(evaluation_questions_for(course), bias="no"))
    assert response.status_code == 200
    assert "Please tell us what you noticed" in response.content.decode()
    assert not EvaluationResponse.objects.exists()


def test_missing_required_answers_are_reported(client, clinician):
    course = attended_course(clinician)
    client.force_login(clinician)
    response = client.post(reverse("evaluations:evaluation", args=[course.slug]), {})
    assert "Please correct 4 problems below" in response.content.decode()


def test_clinician_who_did_not_attend_cannot_evaluate(client, other_clinician, clinician):
    course = attended_course(clinician)
    client.force_login(other_clinician)
    assert client.get(reverse("evaluations:evaluation", args=[course.slug])).status_code == 404


def test_director_sees_counts_means_chart_and_free_text(client, clinician, educator):
    course = attended_course(clinician, directors=[educator])
    second = UserFactory()
    attended_course(second)  # another course: its answers must not leak in
    colleague = UserFactory()
    AttendanceFactory(session=course.sessions.get(), user=colleague)
    questions = evaluation_questions_for(course)
    for person, rating, comment in [(clinician, 5, "Great cases"), (colleague, 4, "=cmd")]:
        client.force_login(person)
        client.post(reverse("evaluations:evaluation", args=[course.slug]),
                    _answers(questions, rating=rating, comment=comment))
    client.force_login(educator)
    response = client.get(reverse("evaluations:evaluation_results", args=[course.pk]))
    content = response.content.decode()
    assert "2 responses" in content
    assert "mean <strong>4.50</strong> of 5" in content
    assert "<svg" in content and "5: 1" in content and "4: 1" in content
    assert "Great cases" in content and "Earlier antibiotics" in content


def test_an_educator_who_does_not_direct_the_course_gets_not_found(client, clinician):
    course = attended_course(clinician)
    outsider = UserFactory(roles=[Role.CLINICIAN, Role.EDUCATOR])
    Authenticator.objects.create(user=outsider, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(outsider)
    response = client.get(reverse("evaluations:evaluation_results", args=[course.pk]))
    assert response.status_code == 404
