"""The cmi5 player (the learner's own, as the SCORM player), the one-time fetch URL and the
xAPI endpoint, which take no session at all: only the token a launch's fetch URL returned
(tests/credits/online/cmi5/test_cmi5.py shows a token reaching its own registration only)."""
from tests.authz_rows import Row, everyone


def objects(world):
    from courses.models import Enrolment
    from tests.credits.online.cmi5.helpers import make_cmi5_module

    course, _ = make_cmi5_module(director=world["educator"], title="cmi5 matrix module")
    Enrolment.objects.create(user=world["clinician"], course=course,
                             status=Enrolment.Status.ENROLLED)
    return {"cmi5_course": course}


ROWS: dict[str, Row] = {
    "courses/<slug:slug>/au/<int:au_number>/": Row(
        {"anonymous": "login", "clinician": 200, "other_clinician": 404, "educator": 200,
         "administrator": 200},
        kwargs=lambda world: {"slug": world["cmi5_course"].slug, "au_number": 1}),
    # The key in the URL is the credential; a key the portal did not issue gets the spec's
    # error 2 in a 200 JSON answer, whoever asks.
    "cmi5/fetch/<str:key>/": Row(everyone(200), method="post",
                                 kwargs=lambda world: {"key": "not-issued"}),
    # A session cookie is no credential here: without a launch's token, 401 for everyone.
    "cmi5/xapi/statements": Row(everyone(401)),
    "cmi5/xapi/activities/state": Row(everyone(401)),
    "cmi5/xapi/agents/profile": Row(everyone(401)),
}
