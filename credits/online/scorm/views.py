"""The SCORM player: the learner's page running scorm-again, the commit endpoint it posts to,
and the package's files, served sandboxed under their own Content-Security-Policy
(docs/decisions/0014-scorm-content-in-a-sandboxed-frame.md)."""
import json
import mimetypes
import posixpath
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses.packages.models import ContentPackage
from courses.packages.selectors import package_current_for
from courses.selectors.educator import course_get_for_manager
from credits.online.cmi5.selectors import sessions_of_attempt
from credits.online.selectors import can_open_module, enduring_course_get, module_state_for

from .launch import content_token, content_token_attempt_id, launch_cmi, launch_page, sco_of
from .models import ScoAttempt
from .selectors import (
    interactions_of,
    package_attempts_for,
    package_figures_for,
    sco_attempt_with_commits,
)
from .services import AttemptClosed, AttemptNotYours, sco_attempt_launch, sco_commit_record

# The package's pages may run their own inline and eval'd scripts (authoring tools need both),
# but only inside an opaque origin: no cookies, no storage, no access to the portal's pages.
CONTENT_SANDBOX = "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"


def _content_policy(origin: str, standard: str) -> str:
    sources = f"'self' {origin} data: blob:"
    # A cmi5 AU reports to the portal's xAPI endpoint itself (credits/online/cmi5/xapi.py);
    # everything a SCORM SCO reports goes through the runtime.
    connect = (f"{origin}/cmi5/" if standard == ContentPackage.Standard.CMI5 else "'none'")
    return "; ".join([
        f"sandbox {CONTENT_SANDBOX}",
        f"default-src {sources}",
        f"script-src {sources} 'unsafe-inline' 'unsafe-eval'",
        f"style-src {sources} 'unsafe-inline'",
        f"connect-src {connect}",
        "form-action 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ])


def _course_or_404(request, slug: str):
    course = enduring_course_get(slug=slug)
    if course is None or not can_open_module(user=request.user, course=course):
        raise Http404("Start this activity from its page first.")
    return course


@login_required
@require_GET
def player(request, slug: str, sco_number: int):
    course = _course_or_404(request, slug)
    package = package_current_for(course=course)
    if package is not None and package.standard == ContentPackage.Standard.CMI5:
        return redirect("cmi5:player", slug=slug, au_number=sco_number)
    try:
        attempt = sco_attempt_launch(user=request.user, course=course, sco_number=sco_number)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.get_absolute_url())
    state = module_state_for(user=request.user, course=course)
    sco = sco_of(attempt)
    launch = {
        "standard": attempt.package.standard,
        "commitUrl": reverse("scorm:commit", args=[course.slug, attempt.pk]),
        "cmi": launch_cmi(attempt=attempt, user=request.user),
    }
    return render(request, "credits/online/scorm/player.html", {
        "course": course, "state": state, "attempt": attempt, "sco": sco,
        "sco_number": sco_number, "launch": launch,
        "content_url": reverse("scorm:content", args=[content_token(attempt),
                                                       sco["href"]]),
    })


def _same_origin_json(request) -> bool:
    """Stands in for the CSRF token, which the runtime's last commit cannot carry: it goes by
    navigator.sendBeacon, which sets no headers (and sends its body as text). Browsers send an
    Origin header with every POST; another site's form or script shows its own."""
    return request.headers.get("Origin", "") == f"{request.scheme}://{request.get_host()}"


@csrf_exempt
@login_required
@require_POST
def commit(request, slug: str, attempt_id: int):
    """The runtime's commit (scorm-again's lmsCommitUrl): JSON, answered as it expects."""
    if not _same_origin_json(request):
        # Ownership is looked up on this refusal only: on the commit itself the service finds
        # the attempt under its lock (one query fewer per commit: bench/scorm_commits.py).
        if not ScoAttempt.objects.filter(pk=attempt_id, user=request.user).exists():
            raise Http404("No such attempt.")
        return JsonResponse({"result": False, "errorCode": 101,
                             "errorMessage": "Commits come from the portal's player."},
                            status=403)
    try:
        body = json.loads(request.body)
        commit_id = uuid.UUID(str(body["commit_id"]))
        cmi = body["cmi"].get("cmi", body["cmi"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"result": False, "errorCode": 101,
                             "errorMessage": "The commit is not readable."}, status=400)
    try:
        sco_commit_record(user=request.user, attempt_id=attempt_id, commit_id=commit_id,
                          cmi=cmi, terminate=bool(body.get("terminate")))
    except AttemptNotYours:
        raise Http404("No such attempt.") from None
    except AttemptClosed as error:
        return JsonResponse({"result": False, "errorCode": 101,
                             "errorMessage": error.messages[0]}, status=409)
    except ValidationError as error:
        return JsonResponse({"result": False, "errorCode": 101,
                             "errorMessage": error.messages[0]}, status=400)
    return JsonResponse({"result": True, "errorCode": 0})


@xframe_options_sameorigin
@require_GET
def content(request, token: str, path: str):
    """A file of the package, for the attempt the signed token names. The launch page carries
    the learner's data, so it also needs the owner's session (sent with the frame's navigation,
    which the portal page starts); the package's other files need the token alone, because a
    sandboxed page's own requests carry no cookies."""
    attempt_id = content_token_attempt_id(token)
    attempt = (ScoAttempt.objects.select_related("package").filter(pk=attempt_id).first()
               if attempt_id else None)
    if attempt is None:
        raise Http404("This content link has expired; reload the activity.")
    name = posixpath.normpath(path)
    if name.startswith("../") or name.startswith("/") or name == "..":
        raise Http404("No such file in the package.")
    launch_path = sco_of(attempt)["href"].split("?", 1)[0].split("#", 1)[0]
    is_launch = name == launch_path
    if is_launch and request.user != attempt.user:
        raise Http404("No such file in the package.")
    storage = attempt.package.original.storage
    stored = attempt.package.content_prefix + name
    if not storage.exists(stored):
        raise Http404("No such file in the package.")
    with storage.open(stored, "rb") as handle:
        data = handle.read()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    standard = attempt.package.standard
    if is_launch and standard != ContentPackage.Standard.CMI5:
        data = launch_page(data, attempt=attempt, user=attempt.user)
    response = HttpResponse(data, content_type=content_type)
    origin = f"{request.scheme}://{request.get_host()}"
    response["Content-Security-Policy"] = _content_policy(origin, standard)
    response["Cache-Control"] = "private, no-store" if is_launch else "private, max-age=3600"
    return response


@login_required
@require_GET
def results(request, course_id: int):
    """Per SCO: started, done, passed, scores and time; and every learner's attempts. The
    course's directors and the CME office (course_get_for_manager)."""
    course = course_get_for_manager(user=request.user, pk=course_id)
    return render(request, "credits/online/scorm/results.html", {
        "course": course, "figures": package_figures_for(course=course),
        "attempts": package_attempts_for(course=course)})


@login_required
@require_GET
def attempt_detail(request, course_id: int, attempt_id: int):
    """One learner's attempt, commit by commit, for support ("my completion didn't record")."""
    course = course_get_for_manager(user=request.user, pk=course_id)
    attempt = sco_attempt_with_commits(course=course, attempt_id=attempt_id)
    if attempt is None:
        raise Http404("No such attempt in this activity.")
    if attempt.package.standard == ContentPackage.Standard.CMI5:
        return render(request, "credits/online/cmi5/attempt.html", {
            "course": course, "attempt": attempt, "au": sco_of(attempt),
            "sessions": sessions_of_attempt(attempt=attempt)})
    last = attempt.commit_list[-1] if attempt.commit_list else None
    return render(request, "credits/online/scorm/attempt.html", {
        "course": course, "attempt": attempt, "commits": attempt.commit_list,
        "interactions": interactions_of(last.cmi) if last else []})
