"""Item analysis after 10+ attempts and the attempts export for directors."""
import pytest
from django.urls import reverse

from credits.online.services import post_test_attempt_start, post_test_attempt_submit
from tests.credits.online.helpers import answers_for, enrol, make_module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(educator):
    course = make_module(questions=2, max_attempts=None, directors=[educator])
    for n in range(12):
        learner = UserFactory()
        enrol(learner, course)
        attempt = post_test_attempt_start(user=learner, course=course)
        # The first six get question 1 wrong, the rest get everything right.
        post_test_attempt_submit(user=learner, attempt=attempt,
                                 answers=_answers(attempt, wrong_first=n < 6))
    return course


def _answers(attempt, *, wrong_first: bool):
    from courses.questions.models import QuestionOption

    answers = answers_for(attempt)
    first = min(attempt.question_ids, key=lambda qid: QuestionOption.objects.filter(
        question_id=qid).first().question.position)
    if wrong_first:
        answers[first] = [QuestionOption.objects.filter(question_id=first,
                                                        is_correct=False).first().pk]
    return answers


def test_results_show_difficulty_discrimination_and_distractors(client, educator, course,
                                                                django_assert_num_queries):
    client.force_login(educator)
    with django_assert_num_queries(10):
        response = client.get(reverse("online:results", args=[course.pk]))
    stats = response.context["questions"]
    first = stats[0]
    assert (first.answered, first.correct) == (12, 6)
    assert first.discrimination == 1.0  # top scorers all right, bottom all wrong
    assert dict((o.text, n) for o, n in first.option_counts)["Option B"] == 6
    assert "<svg" in response.content.decode()


def test_results_wait_for_ten_attempts(client, educator):
    course = make_module(directors=[educator])
    client.force_login(educator)
    response = client.get(reverse("online:results", args=[course.pk]))
    assert "appear after 10 attempts" in response.content.decode()


def test_attempts_download_as_csv_and_xlsx(client, educator, course):
    client.force_login(educator)
    csv = client.get(reverse("reports:educator_attempts", args=[course.pk, "csv"]))
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Learner name,Email")
    assert len(body.strip().splitlines()) == 13
    xlsx = client.get(reverse("reports:educator_attempts", args=[course.pk, "xlsx"]))
    assert xlsx.status_code == 200
