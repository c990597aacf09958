"""The token owner's own data: profile, transcript, certificates, requirement progress."""

from django.http import FileResponse
from django.urls import reverse
from ninja import Router

from accounts.models import AccessToken
from courses.credit_types import credit_type_name
from credits.certificates.models import Certificate
from credits.certificates.selectors import certificate_for_download, certificate_list_for_learner
from credits.ledger.forms import TranscriptFilterForm
from credits.ledger.transcript import transcript_for
from credits.requirements.selectors import requirement_progress_for

from . import schemas
from .auth import ApiError, TokenAuth
from .errors import PDF_RESPONSE, responses

router = Router(tags=["My data"])


def _owner(request):
    """A personal token's owner; a service token acts as nobody, so has no 'me'."""
    token: AccessToken = request.auth
    if token.user is None:
        raise ApiError(403, "A service token belongs to no person: use a personal token for "
                            "/me/ routes.")
    return token.user


def _licence(licence) -> dict:
    return {"state": licence.state, "profession": licence.profession, "number": licence.number,
            "expires_on": licence.expires_on}


@router.get("/me", url_name="api_profile",
            response=responses(schemas.Profile), auth=TokenAuth("profile"),
            summary="Your profile and licences")
def profile(request):
    user = _owner(request)
    fields = ("id", "email", "full_name", "degree", "profession", "specialty", "npi", "board_id",
              "certifying_board", "nabp_eprofile_id", "time_zone")
    return {**{name: getattr(user, name) for name in fields},
            "licences": [_licence(licence) for licence in user.licences.all()]}


@router.get("/me/transcript", url_name="api_transcript",
            response=responses(schemas.Transcript, 422),
            auth=TokenAuth("transcript"), summary="Your transcript, with the page's filters")
def transcript(request, start: schemas.IsoDate | None = None, end: schemas.IsoDate | None = None,
               credit_type: str | None = None, voided: bool = False):
    user = _owner(request)
    form = TranscriptFilterForm({"start": start or "", "end": end or "",
                                 "credit_type": credit_type or "", "voided": voided})
    if not form.is_valid():
        raise ApiError(422, " ".join(message for messages in form.errors.values()
                                     for message in messages))
    result = transcript_for(user=user, filters=form.filters())
    return {
        "start": result.filters.start, "end": result.filters.end,
        "credit_type": result.filters.credit_type or None,
        "include_voided": result.filters.include_voided,
        "totals": [{"credit_type": total.credit_type,
                    "credit_type_label": credit_type_name(total.credit_type),
                    "amount": total.amount, "display": total.display}
                   for total in result.totals],
        "records": [{
            "id": record.pk, "activity_title": record.activity_title,
            "course_slug": record.course.slug if record.course_id else None,
            "external_provider": (record.external_activity.provider
                                  if record.external_activity_id else None),
            "completed_on": record.completed_on, "credit_type": record.credit_type,
            "amount": record.amount, "display": record.amount_display, "source": record.source,
            "status": record.status, "void_reason": record.void_reason,
        } for record in result.records],
    }


def _certificate(request, certificate: Certificate) -> dict:
    ready = certificate.status == Certificate.Status.READY and bool(certificate.pdf)
    return {
        "id": certificate.pk, "code": certificate.code_display, "status": certificate.status,
        "activity_title": certificate.activity_title,
        "activity_dates": certificate.activity_dates, "course_slug": certificate.course.slug,
        "completion_date": certificate.completion_date, "issue_date": certificate.issue_date,
        "credits": certificate.credits, "verification_url": certificate.verification_url,
        "pdf_url": request.build_absolute_uri(
            reverse("api-1:api_certificate_pdf", kwargs={"certificate_id": certificate.pk}))
        if ready else None,
    }


@router.get("/me/certificates", url_name="api_certificates",
            response=responses(list[schemas.Certificate]),
            auth=TokenAuth("certificates"), summary="Your certificates")
def certificates(request):
    user = _owner(request)
    return [_certificate(request, c) for c in certificate_list_for_learner(user=user)]


@router.get("/me/certificates/{certificate_id}/pdf", response=responses(None, 404),
            auth=TokenAuth("certificates"), url_name="api_certificate_pdf",
            openapi_extra=PDF_RESPONSE, summary="A certificate's PDF")
def certificate_pdf(request, certificate_id: int):
    # The download page's own rule: the owner's ready certificate (administrators: any).
    certificate = certificate_for_download(user=_owner(request), pk=certificate_id)
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True,
                        filename=f"certificate-{certificate.code_display}.pdf",
                        content_type="application/pdf")


@router.get("/me/requirements", url_name="api_requirements",
            response=responses(list[schemas.LicenceProgress]),
            auth=TokenAuth("requirements"), summary="Your licence requirement progress")
def requirements(request):
    user = _owner(request)
    return [{
        "licence": _licence(item.licence), "requirement_set": item.requirement_set.name,
        "cycle_starts_on": item.cycle_starts_on, "cycle_ends_on": item.cycle_ends_on,
        "is_met": item.is_met,
        "requirements": [{
            "label": line.label, "topic": line.topic.name if line.topic else None,
            "earned": line.earned, "required": line.required, "shortfall": line.shortfall,
            "due_on": line.due_on, "is_met": line.is_met, "status": line.status_sentence,
        } for line in item.requirements],
    } for item in requirement_progress_for(user=user)]



