"""A small clinical world for API tests: a clinician with a licence, credit, a certificate and
an online completion; another learner; a service token."""
import datetime

from django.utils import timezone

from accounts.models import AccessToken
from accounts.tokens import PERSONAL_SCOPES, personal_token_create, service_token_create
from credits.certificates.services import certificate_render_now, certificate_sync
from credits.models import Certificate
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import AttendanceFactory, LicenceFactory


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_world(clinician, admin_user, *, render=True) -> dict:
    LicenceFactory(user=clinician)
    course = make_course(title="Sepsis: Early Recognition and the First Hour")
    AttendanceFactory(session=course.sessions.get(), user=clinician)
    claim_credit(clinician, course, send=False)
    certificate_sync(user_id=clinician.pk, course_id=course.pk)
    certificate = Certificate.objects.get(user=clinician, course=course)
    if render:
        certificate_render_now(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    personal = personal_token_create(user=clinician, name="Board renewal app",
                                     scopes=list(PERSONAL_SCOPES))
    service = service_token_create(actor=admin_user, name="Workday HR sync",
                                   scopes=[AccessToken.Scope.REPORTS, AccessToken.Scope.CATALOG])
    return {"course": course, "certificate": certificate, "personal": personal.secret,
            "service": service.secret, "now": timezone.now(),
            "yesterday": timezone.now() - datetime.timedelta(days=1)}
