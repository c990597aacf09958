"""Open Badges credential pages: the owner's and the public downloads, the credential by its
id, the issuer profile, the public key, the status list, and the upload verifier."""
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from credits.certificates.models import CertificateCredential, normalise_verification_code
from credits.certificates.openbadges.credential import (
    MEDIA_TYPE,
    VC_CONTEXT,
    issuer_profile,
    key_url,
    published_key_set,
    sign,
    status_list_payload,
)
from credits.certificates.openbadges.forms import CredentialUploadForm
from credits.certificates.openbadges.keys import key_id, public_jwk
from credits.certificates.openbadges.selectors import (
    certificate_credential_by_uuid,
    certificate_for_credential,
    certificate_for_public_credential,
    status_list_exists,
    status_list_set_indexes,
)
from credits.certificates.openbadges.services import certificate_credential_issue
from credits.certificates.openbadges.verifier import credential_verify
from credits.certificates.views import _rate_limited, _too_many

PUBLIC_CACHE = "public, max-age=300"


def _file(entry: CertificateCredential, form: str) -> HttpResponse:
    stem = f"open-badge-{entry.certificate.code_display}-v{entry.version}"
    if form == "json":  # VC Data Model 2.0 EnvelopedVerifiableCredential around the VC-JWT
        body = json.dumps({"@context": [VC_CONTEXT], "id": f"data:{MEDIA_TYPE},{entry.token}",
                           "type": "EnvelopedVerifiableCredential"}, indent=2)
        response = HttpResponse(body, content_type="application/vc")
        filename = f"{stem}.json"
    else:
        response = HttpResponse(entry.token, content_type=MEDIA_TYPE)
        filename = f"{stem}.jwt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET"])
def credential_download(request, pk: int, form: str):
    certificate = certificate_for_credential(user=request.user, pk=pk)
    # Issued when the PDF is rendered; certificates rendered before credentials existed get
    # theirs on first download (idempotent).
    return _file(certificate_credential_issue(certificate=certificate), form)


@require_http_methods(["GET"])
def credential_public_download(request, code: str, form: str):
    if _rate_limited(request):
        return _too_many(request)
    certificate = certificate_for_public_credential(code=normalise_verification_code(code))
    if certificate is None:
        raise Http404("No such certificate.")
    return _file(certificate_credential_issue(certificate=certificate), form)


@require_http_methods(["GET"])
def credential_by_id(request, uuid):
    entry = certificate_credential_by_uuid(uuid=uuid)
    if entry is None:
        raise Http404("No such credential.")
    response = HttpResponse(entry.token, content_type=MEDIA_TYPE)
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _public_json(document: dict, content_type: str) -> JsonResponse:
    response = JsonResponse(document, content_type=content_type,
                            json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"  # read by verifiers' browser wallets
    return response


@require_http_methods(["GET"])
def credential_issuer(request):
    profile = {"@context": ["https://www.w3.org/ns/credentials/v2",
                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
               **issuer_profile()}
    return _public_json(profile, "application/ld+json")


@require_http_methods(["GET"])
def credential_jwks(request):
    return _public_json(published_key_set(), "application/jwk-set+json")


@require_http_methods(["GET"])
def credential_key(request, kid: str):
    if kid != key_id():
        raise Http404("No such key.")
    return _public_json(public_jwk(kid=key_url()), "application/jwk+json")


@require_http_methods(["GET"])
def credential_status_list(request, number: int):
    if number != 1 and not status_list_exists(number=number):
        raise Http404("No such status list.")
    payload = status_list_payload(number=number, now=timezone.now().replace(microsecond=0),
                                  revoked_indexes=status_list_set_indexes(number=number))
    response = HttpResponse(sign(payload), content_type=MEDIA_TYPE)
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "POST"])
def credential_verify_upload(request):
    verdict = None
    if request.method == "POST":
        if _rate_limited(request):
            return _too_many(request)
        form = CredentialUploadForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = credential_verify(data=form.cleaned_data["credential"])
    else:
        form = CredentialUploadForm()
    return render(request, "credits/certificates/verify_credential.html",
                  {"form": form, "verdict": verdict}, status=400 if form.errors else 200)
