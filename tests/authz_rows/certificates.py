"""Certificate download (owner and administrators), public verification, bulk regeneration, the
office's revocation, and the Open Badges credentials (owner downloads, public by code, the
published issuer documents)."""
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
    return {"certificate": certificate, "certificate_course": course,
            "credential": certificate.credentials.get()}


OWNER_AND_ADMINISTRATORS = {"anonymous": "login", "clinician": 200, "other_clinician": 404,
                            "educator": 404, "administrator": 200}


def _key_id(world):
    from credits.certificates.openbadges.keys import key_id

    return {"kid": key_id()}


ROWS: dict[str, Row] = {
    "certificates/<int:pk>/download/": Row(
        {"anonymous": "login", "clinician": 200, "other_clinician": 404, "educator": 404,
         "administrator": 200},
        kwargs=lambda world: {"pk": world["certificate"].pk}),
    "certificates/<int:pk>/open-badge.jwt": Row(
        OWNER_AND_ADMINISTRATORS, kwargs=lambda world: {"pk": world["certificate"].pk}),
    "certificates/<int:pk>/open-badge.json": Row(
        OWNER_AND_ADMINISTRATORS, kwargs=lambda world: {"pk": world["certificate"].pk}),
    "certificates/verify-credential/": Row(everyone(200)),
    "certificates/verify/<str:code>/open-badge.jwt": Row(
        everyone(200), kwargs=lambda world: {"code": world["certificate"].verification_code}),
    "certificates/verify/<str:code>/open-badge.json": Row(
        everyone(200), kwargs=lambda world: {"code": world["certificate"].verification_code}),
    "credentials/issuer/": Row(everyone(200)),
    "credentials/jwks.json": Row(everyone(200)),
    "credentials/keys/<str:kid>/": Row(everyone(200), kwargs=_key_id),
    "credentials/status/<int:number>/": Row(everyone(200), kwargs=lambda world: {"number": 1}),
    "credentials/<uuid:uuid>/": Row(
        everyone(200), kwargs=lambda world: {"uuid": world["credential"].uuid}),
    "certificates/verify/": Row(everyone(200)),
    "certificates/verify/<str:code>/": Row(
        everyone(200), kwargs=lambda world: {"code": world["certificate"].verification_code}),
    "review/courses/<int:course_id>/certificates/": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda world: {"course_id": world["certificate_course"].pk}),
    "review/certificates/<int:pk>/revoke/": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda world: {"pk": world["certificate"].pk}),
    "review/courses/<int:course_id>/certificates/progress/": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda world: {"course_id": world["certificate_course"].pk}),
}
