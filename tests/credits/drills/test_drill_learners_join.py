"""A drill assigned to a group joins its learners at once: the same places, cards and emails as
each joining on their own, in the same number of queries for one learner or twenty."""
import pytest
from django.core.exceptions import ValidationError

from accounts.models import OutgoingMessage
from courses.models import Course, Enrolment
from courses.views import CATALOG
from credits.drills.models import DrillCard, DrillEnrolment
from credits.drills.services import drill_join, drill_learners_join
from tests.credits.drills.helpers import MONDAY, at, enrol, make_drill
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = at(MONDAY, 23, 30)  # already Tuesday in UTC, still Monday in New York


def _learners(count: int, tag: str) -> list:
    zones = ["America/New_York", "Europe/London", "Pacific/Honolulu"]
    return [UserFactory(email=f"{tag}{i}@hospital.example", time_zone=zones[i % len(zones)])
            for i in range(count)]


def _state(course) -> dict:
    """What joining wrote, by learner (their email without the tag) rather than by id."""
    def who(user) -> str:
        return user.email.split("@")[0].lstrip("abcdefghijklmnopqrstuvwxyz")

    return {
        "places": sorted((who(e.user), e.status) for e in
                         Enrolment.objects.filter(course=course).select_related("user")),
        "drills": sorted((who(d.user), d.joined_at) for d in
                         DrillEnrolment.objects.filter(course=course).select_related("user")),
        "cards": sorted((who(c.enrolment.user), c.question.position, c.due_on) for c in
                        DrillCard.objects.filter(enrolment__course=course)
                        .select_related("enrolment__user", "question")),
        "emails": sorted((who(m.recipient), m.kind, m.context["course_title"],
                          m.context["status"]) for m in
                         OutgoingMessage.objects.filter(object_key__in=[
                             f"enrolment:{pk}" for pk in
                             Enrolment.objects.filter(course=course).values_list("pk", flat=True)
                         ]).select_related("recipient")),
    }


def test_a_group_joins_as_each_learner_would_on_their_own(django_capture_on_commit_callbacks):
    alone, together = make_drill(questions=3), make_drill(questions=3)
    one_by_one, group = _learners(6, "a"), _learners(6, "b")
    # One of each group already has a place (enrolled from the catalog), one already joined.
    enrol(one_by_one[0], alone), enrol(group[0], together)
    drill_join(user=one_by_one[1], course=alone, now=NOW)
    drill_join(user=group[1], course=together, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        for user in one_by_one:
            drill_join(user=user, course=alone, now=NOW)
    catalog = CATALOG.key("results", "/courses/")
    with django_capture_on_commit_callbacks(execute=True):
        drill_learners_join(users=group, course=together, now=NOW)
    # A bulk insert of places: the catalog's counts follow them.
    assert CATALOG.key("results", "/courses/") != catalog
    expected = _state(alone)
    assert _state(together) == expected
    assert len(expected["drills"]) == 6 and len(expected["cards"]) == 18
    # Cards are due on each learner's own today: Monday in New York and Honolulu, Tuesday in
    # London at 23:30 New York time.
    assert {(who, due.isoformat()) for who, position, due in expected["cards"]
            if position == 1} >= {("0", "2026-12-07"), ("1", "2026-12-08")}
    assert len(expected["emails"]) == 5  # a confirmation for each place the join gave
    drill_learners_join(users=group, course=together, now=NOW)  # assigned again: nothing more
    assert _state(together) == expected


@pytest.mark.parametrize("count", [1, 20])
def test_joining_takes_the_same_queries_whatever_the_group(count, django_assert_num_queries):
    drill = make_drill(questions=4)
    learners = _learners(count, "c")
    # Savepoint; learners locked; who has joined; who has a place; then, in a savepoint, the
    # course locked (a self-paced drill is open by its dates), whether anyone has a request,
    # the places, the sessions the email lists and the emails (in a savepoint of their own);
    # drill enrolments; questions; cards; release.
    with django_assert_num_queries(1 + 1 + 1 + 1 + (1 + 1 + 1 + 1 + 1 + 3 + 1) + 1 + 1 + 1 + 1):
        drill_learners_join(users=learners, course=drill, now=NOW)
    assert DrillCard.objects.count() == 4 * count


def test_a_drill_without_seats_for_everyone_is_joined_one_by_one_and_refuses_as_before():
    drill = make_drill(questions=2)
    Course.objects.filter(pk=drill.pk).update(capacity=1)
    learners = _learners(2, "d")
    with pytest.raises(ValidationError, match="the drill starts once it is confirmed"):
        drill_learners_join(users=learners, course=drill, now=NOW)
    assert not DrillEnrolment.objects.exists() and not Enrolment.objects.exists()
