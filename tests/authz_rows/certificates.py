"""Certificate download (owner and administrators), public verification, bulk regeneration."""
from tests.authz_rows import Row, everyone

ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403, "administrator": 200}


def objects(world):
    from credits.certificates.services import certificate_render_now, certificate_sync
    from credits.models import Certificate
    from tests.credits.certificates.certificate_helpers import claim_credit, make_course

    course = make_course(title="Authorization matrix rounds")
    claim_credit(world["clinician"], course, send=False)
    certificate_sync(user_id=world["clinician"].pk, course_id=course.pk)
    certificate = Certificate.objects.get(user=world["clinician"], course=course)
    certificate_render_now(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return {"certificate": certificate, "certificate_course": course}


ROWS: dict[str, Row] = {
    "certificates/<int:pk>/download/": Row(
        {"anonymous": "login", "clinician": 200, "other_clinician": 404, "educator": 404,
         "administrator": 200},
        kwargs=lambda world: {"pk": world["certificate"].pk}),
    "certificates/verify/": Row(everyone(200)),
    "certificates/verify/<str:code>/": Row(
        everyone(200), kwargs=lambda world: {"code": world["certificate"].verification_code}),
    "review/courses/<int:course_id>/certificates/": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda world: {"course_id": world["certificate_course"].pk}),
    "review/courses/<int:course_id>/certificates/progress/": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda world: {"course_id": world["certificate_course"].pk}),
}
