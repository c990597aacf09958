"""Practice drills: the drill page and joining for signed-in people, a delivered question only
for its learner, and the emailed answer link for its learner alone (no sign-in needed)."""
from tests.authz_rows import Row, owner_only, signed_in


def objects(world):
    from credits.drills import links
    from credits.drills.models import DrillDelivery
    from credits.drills.services import drill_deliveries_scan, drill_join
    from tests.credits.drills.helpers import MONDAY, at, make_drill

    course = make_drill(questions=4)
    drill_join(user=world["clinician"], course=course, now=at(MONDAY, 6))
    drill_deliveries_scan(now=at(MONDAY))
    delivery = DrillDelivery.objects.filter(enrolment__course=course).first()
    option = delivery.question.options.first()
    token = links.answer_token(delivery_id=delivery.pk, user_id=world["clinician"].pk,
                               question_id=delivery.question_id, option_id=option.pk)
    return {"drill_course": course, "drill_delivery": delivery, "drill_token": token}


def _slug(world):
    return {"slug": world["drill_course"].slug}


ROWS: dict[str, Row] = {
    "drills/<slug:slug>/": Row(signed_in(200), kwargs=_slug),
    "drills/<slug:slug>/join/": Row(signed_in("redirect"), method="post", kwargs=_slug),
    "drills/<slug:slug>/questions/<int:delivery_id>/": Row(
        owner_only(200),
        kwargs=lambda world: {**_slug(world), "delivery_id": world["drill_delivery"].pk}),
    # GET shows the chosen answer (recording needs the POST): its learner, signed in or not;
    # anyone signed in as somebody else is refused.
    "drills/answer/<str:token>/": Row(
        {"anonymous": 200, "clinician": 200, "other_clinician": 403, "educator": 403,
         "administrator": 403}, kwargs=lambda world: {"token": world["drill_token"]}),
}
