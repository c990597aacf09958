"""Pathway pages: the learner's list and pathway page (join, record an external activity), and
the authoring pages of the CME office and educators under /educator/pathways/."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from credits.certificates.models import normalise_verification_code
from credits.certificates.openbadges.credential import MEDIA_TYPE
from credits.certificates.views import _rate_limited, _too_many
from credits.pathways import applications, services
from credits.pathways.application_selectors import (
    application_get_for_applicant,
    applications_of,
    cohorts_open_for_applications,
    cohorts_with_applications,
)
from credits.pathways.clr import clr_sign
from credits.pathways.cohort_sessions import cohort_sessions_by_course
from credits.pathways.forms import (
    ApplicationForm,
    AssignForm,
    CohortForm,
    DecisionForm,
    ExternalRecordForm,
    PathwayForm,
    StepForm,
    StepGroupForm,
)
from credits.pathways.models import (
    Pathway,
    PathwayApplication,
    PathwayCertificate,
    PathwayEnrolment,
    Step,
)
from credits.pathways.selectors import (
    draft_version_of,
    pathway_certificate_by_code,
    pathway_certificate_get_for_owner,
    pathway_enrolment_for,
    pathway_get_for_manager,
    pathway_get_published,
    pathway_preview_steps,
    pathway_progress_get,
    pathway_progress_list_for,
    pathways_managed_by,
    pathways_open_to_join,
)

# --- Learners -----------------------------------------------------------------------------------


@require_GET
def pathway_list(request):
    return render(request, "credits/pathways/list.html", {
        "mine": pathway_progress_list_for(user=request.user)
        if request.user.is_authenticated else [],
        "open_pathways": pathways_open_to_join(user=request.user)})


@require_GET
def pathway_detail(request, slug: str):
    pathway = pathway_get_published(slug=slug)
    enrolment = pathway_enrolment_for(user=request.user, pathway=pathway)
    if enrolment is not None and enrolment.status != PathwayEnrolment.Status.LEFT:
        progress = pathway_progress_get(user=request.user, enrolment=enrolment)
        # Pacing: the cohort's own sessions of a live course step show beside the step.
        cohort_sessions = (cohort_sessions_by_course(cohort_ids=[enrolment.cohort_id],
                                                     now=timezone.now())
                           if enrolment.cohort_id else {})
        for group in progress.groups:
            for state in group.steps:
                if state.step.kind == Step.Kind.EXTERNAL:  # one form each, ids of its own
                    state.record_form = ExternalRecordForm(auto_id=f"step{state.step.pk}_%s")
                state.cohort_sessions = cohort_sessions.get(
                    (enrolment.cohort_id, state.step.course_id), [])
        return render(request, "credits/pathways/detail.html", {
            "pathway": pathway, "progress": progress, "groups": progress.groups,
            "version": enrolment.version,
            "my_applications": applications_of(user=request.user, pathway=pathway),
            "newer_version": pathway.current_version_id != enrolment.version_id})
    return render(request, "credits/pathways/detail.html", {
        "pathway": pathway, "version": pathway.current_version,
        "groups": pathway_preview_steps(version=pathway.current_version),
        "my_applications": applications_of(user=request.user, pathway=pathway),
        "open_cohorts": cohorts_open_for_applications(pathway=pathway)
        if pathway.entry == Pathway.Entry.APPLICATION else [],
        "application_form": ApplicationForm()})


@require_POST
@login_required
def pathway_join_view(request, slug: str):
    pathway = pathway_get_published(slug=slug)
    try:
        services.pathway_join(pathway=pathway, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You joined {pathway.title}. Your next step is first.")
    return redirect("pathways:pathway", slug=pathway.slug)


@require_POST
@login_required
def external_record(request, slug: str, step_id: int):
    pathway = pathway_get_published(slug=slug)
    enrolment = pathway_enrolment_for(user=request.user, pathway=pathway)
    if enrolment is None:
        raise Http404("You are not on this pathway.")
    step = Step.objects.filter(pk=step_id, version=enrolment.version,
                               kind=Step.Kind.EXTERNAL).first()
    if step is None:
        raise Http404("No such step on your pathway.")
    form = ExternalRecordForm(request.POST)
    if form.is_valid():
        try:
            services.external_step_record(enrolment=enrolment, step=step, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Recorded: {step.display_title}.")
    else:
        messages.error(request, "Give the date you completed it (today or earlier).")
    return redirect("pathways:pathway", slug=pathway.slug)


# --- The office and educators --------------------------------------------------------------------

def manager_required(view):
    """Educators and the CME office; which pathway each may manage is the selector's call."""
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_educator or request.user.is_administrator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@manager_required
def manage_list(request):
    return render(request, "credits/pathways/manage_list.html",
                  {"pathways": pathways_managed_by(request.user)})


@manager_required
def manage_new(request):
    form = PathwayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pathway = services.pathway_create(created_by=request.user, **form.cleaned_data)
        return redirect("pathways:manage", pk=pathway.pk)
    return render(request, "credits/pathways/manage_new.html", {"form": form})


@require_GET
@manager_required
def manage_detail(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    draft = draft_version_of(pathway)
    shown = draft or pathway.current_version
    return render(request, "credits/pathways/manage_detail.html", {
        "pathway": pathway, "draft": draft, "version": shown,
        "groups": pathway_preview_steps(version=shown),
        "group_form": StepGroupForm(), "step_form": StepForm(version=shown) if draft else None,
        "assign_form": AssignForm(pathway=pathway)})


def _draft_or_404(pathway: Pathway):
    draft = draft_version_of(pathway)
    if draft is None:
        raise Http404("This pathway has no draft version; start one first.")
    return draft


def form_errors_as_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label or field}: {' '.join(errors)}"
                       if field != "__all__" else " ".join(errors))


def _manage_post(request, pk: int, form_class, act, *, draft_needed: bool = True):
    """Post one authoring form and return to the pathway page with the outcome as a message."""
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    version = _draft_or_404(pathway) if draft_needed else None
    form = form_class(request.POST, **({"version": version} if form_class is StepForm
                                       else {"pathway": pathway} if form_class is AssignForm
                                       else {}))
    if form.is_valid():
        try:
            messages.success(request, act(pathway, version, form.cleaned_data))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        form_errors_as_messages(request, form)
    return redirect("pathways:manage", pk=pathway.pk)


@require_POST
@manager_required
def manage_group_add(request, pk: int):
    def act(pathway, version, data):
        group = services.step_group_add(version=version, **data)
        return f"Added the group “{group.title}”."
    return _manage_post(request, pk, StepGroupForm, act)


@require_POST
@manager_required
def manage_step_add(request, pk: int):
    def act(pathway, version, data):
        step = services.step_add(**data)
        return f"Added the step “{step.display_title}”."
    return _manage_post(request, pk, StepForm, act)


@require_POST
@manager_required
def manage_step_remove(request, pk: int, step_id: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    step = Step.objects.filter(pk=step_id, version=_draft_or_404(pathway)).first()
    if step is not None:  # else already removed (a double click): the same outcome
        services.step_remove(step=step)
    messages.success(request, "Removed the step.")
    return redirect("pathways:manage", pk=pathway.pk)


@require_POST
@manager_required
def manage_publish(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    draft = draft_version_of(pathway)
    if draft is None:  # published a moment ago (a double click, two tabs)
        messages.info(request, "This pathway has no draft to publish.")
        return redirect("pathways:manage", pk=pathway.pk)
    try:
        version = services.pathway_version_publish(version=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Published version {version.number}. New learners join it; "
                                  "learners already on the pathway keep their version.")
    return redirect("pathways:manage", pk=pathway.pk)


@require_POST
@manager_required
def manage_version_start(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    version = services.pathway_version_start(pathway=pathway)
    messages.success(request, f"Version {version.number} is a draft; edit it, then publish.")
    return redirect("pathways:manage", pk=pathway.pk)


@require_POST
@manager_required
def manage_assign(request, pk: int):
    def act(pathway, version, data):
        added = services.pathway_assign(pathway=pathway, target=data["target"],
                                        target_value=data["target_value"],
                                        cohort=data["cohort"])
        return f"Assigned {pathway.title} to {added} learner{'s' if added != 1 else ''}."
    return _manage_post(request, pk, AssignForm, act, draft_needed=False)


# --- Certificates and credentials ---------------------------------------------------------------

@require_GET
@login_required
def certificate_download(request, pk: int):
    certificate = pathway_certificate_get_for_owner(user=request.user, pk=pk)
    if certificate.status != PathwayCertificate.Status.READY:
        raise Http404("The certificate is still being made.")
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True,
                        filename=f"pathway-certificate-{certificate.code_display}.pdf",
                        content_type="application/pdf")


def _credential_file(certificate: PathwayCertificate) -> HttpResponse:
    response = HttpResponse(certificate.credential, content_type=MEDIA_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.code_display}.jwt"')
    return response


@require_GET
@login_required
def credential_download(request, pk: int):
    return _credential_file(pathway_certificate_get_for_owner(user=request.user, pk=pk))


@require_GET
def certificate_verify(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    certificate = pathway_certificate_by_code(code=normalise_verification_code(code))
    if certificate is None:
        return render(request, "credits/certificates/verify_unknown.html", {"code": code},
                      status=404)
    return render(request, "credits/pathways/verify.html", {"certificate": certificate})


@require_GET
def credential_by_id(request, uuid):
    certificate = PathwayCertificate.objects.filter(credential_uuid=uuid).first()
    if certificate is None:
        raise Http404("No such credential.")
    response = HttpResponse(certificate.credential, content_type=MEDIA_TYPE)
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- Applications -------------------------------------------------------------------------------

@require_POST
@login_required
def application_submit(request, slug: str, cohort_id: int):
    pathway = pathway_get_published(slug=slug)
    cohort = pathway.cohorts.filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404("No such cohort.")
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a few lines for the education office to read.")
        return redirect("pathways:pathway", slug=pathway.slug)
    try:
        applications.pathway_apply(cohort=cohort, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your application is in. The education office will email "
                                  "you its decision.")
    return redirect("pathways:pathway", slug=pathway.slug)


@require_POST
@login_required
def application_withdraw(request, pk: int):
    application = application_get_for_applicant(user=request.user, pk=pk)
    applications.pathway_application_withdraw(application=application)
    messages.success(request, "You withdrew your application.")
    return redirect("pathways:pathway", slug=application.cohort.pathway.slug)


@require_GET
@manager_required
def manage_applications(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    return render(request, "credits/pathways/manage_applications.html", {
        "pathway": pathway, "cohorts": cohorts_with_applications(pathway=pathway),
        "cohort_form": CohortForm()})


@require_POST
@manager_required
def manage_cohort_add(request, pk: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    form = CohortForm(request.POST)
    if form.is_valid():
        try:
            cohort = applications.cohort_create(pathway=pathway, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Added the cohort {cohort.name}.")
    else:
        form_errors_as_messages(request, form)
    return redirect("pathways:applications", pk=pathway.pk)


@require_POST
@manager_required
def manage_application_decide(request, pk: int, application_id: int):
    pathway = pathway_get_for_manager(user=request.user, pk=pk)
    application = PathwayApplication.objects.filter(pk=application_id,
                                                    cohort__pathway=pathway).first()
    if application is None:
        raise Http404("No such application.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            applications.pathway_application_decide(application=application,
                                                    decision=form.cleaned_data["decision"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{application.user.display_name}: "
                                      f"{form.cleaned_data['decision']}.")
    else:
        form_errors_as_messages(request, form)
    return redirect("pathways:applications", pk=pathway.pk)


@require_GET
@login_required
def learner_record_download(request):
    """The signed-in learner's own Comprehensive Learner Record (CLR 2.0), made on request."""
    token = clr_sign(user=request.user, now=timezone.now().replace(microsecond=0))
    response = HttpResponse(token, content_type=MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="comprehensive-learner-record.jwt"'
    return response
