"""Checklist pages: the learner's checklists and self-assessment, the validator's phone page
(reached by the learner's QR code or by search), and the educator's builder."""
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import administrator_required, role_required
from courses.qr import qr_svg
from credits.assignments.views import assignment_opened
from credits.checklists import selectors, services
from credits.checklists.exporters import ReadinessExporter
from credits.checklists.forms import (
    ChecklistAssignmentForm,
    ChecklistForm,
    SelfAssessmentForm,
    SkillValidationForm,
    ValidatorForm,
)
from credits.checklists.models import LearnerChecklist, Skill, Unit, Validator
from credits.checklists.pdf import person_readiness_pdf
from credits.checklists.readiness import (
    Readiness,
    person_in_unit,
    readiness_matrix,
    units_managed_by,
)
from credits.reports.exporters.base import ExportFormat

# The QR code a learner shows is a signed link to their checklist; it is only a shortcut (the
# validator's authorisation is checked again on the page), so a day's validity is enough.
VALIDATION_CODE_SALT = "checklists.validate"
VALIDATION_CODE_MAX_AGE = 24 * 60 * 60

# Educators build checklists; the education office manages every one.
checklist_builder_required = role_required("may_build_checklists")


def validation_code_for(learner_checklist: LearnerChecklist) -> str:
    return signing.dumps(learner_checklist.pk, salt=VALIDATION_CODE_SALT, compress=True)


# --- The learner -----------------------------------------------------------------------------

@require_GET
@login_required
def my_checklists(request):
    mine = list(LearnerChecklist.objects.filter(learner=request.user)
                .select_related("checklist").order_by("status", "-opened_at"))
    opened = {row.checklist_id for row in mine if row.status == LearnerChecklist.Status.IN_PROGRESS}
    available = [checklist for checklist in selectors.checklists_open_to_learners()
                 if checklist.pk not in opened]
    return render(request, "credits/checklists/mine.html", {
        "mine": mine, "available": available,
        "manages_units": units_managed_by(request.user).exists()})


@require_POST
@login_required
def checklist_start(request, checklist_id: int):
    checklist = get_object_or_404(selectors.checklists_open_to_learners(), pk=checklist_id)
    learner_checklist = services.learner_checklist_open(checklist=checklist, learner=request.user)
    return redirect("checklists:mine_detail", pk=learner_checklist.pk)


@login_required
def my_checklist_detail(request, pk: int):
    learner_checklist = selectors.learner_checklist_get_for_learner(user=request.user, pk=pk)
    version = learner_checklist.version
    if request.method == "POST":
        skill = get_object_or_404(Skill, pk=request.POST.get("skill"),
                                  section__version=version)
        form = SelfAssessmentForm(request.POST, rating_scale=version.rating_scale)
        if form.is_valid():
            services.self_assessment_record(learner_checklist=learner_checklist, skill=skill,
                                            level=form.cleaned_data["level"])
            return redirect(reverse("checklists:mine_detail", args=[pk]) + f"#skill-{skill.pk}")
    sections = selectors.skill_states(learner_checklist)
    code_url = request.build_absolute_uri(reverse(
        "checklists:validate_code", args=[validation_code_for(learner_checklist)]))
    return render(request, "credits/checklists/mine_detail.html", {
        "record": learner_checklist, "version": version, "sections": sections,
        "levels": list(enumerate(version.rating_scale, start=1)),
        "resources": list(version.resources.all()),
        "qr": qr_svg(code_url, scale=6, border=2, title=_("Validation code")),
    })


@require_GET
@login_required
def my_checklist_pdf(request, pk: int):
    learner_checklist = selectors.learner_checklist_get_for_learner(user=request.user, pk=pk)
    if not learner_checklist.pdf:
        raise Http404
    return FileResponse(learner_checklist.pdf.open("rb"), content_type="application/pdf",
                        filename=f"competencies-{learner_checklist.checklist.pk}-"
                                 f"{learner_checklist.cycle}.pdf")


# --- The validator ---------------------------------------------------------------------------

@require_GET
@login_required
def validate_search(request):
    query = request.GET.get("q", "")
    return render(request, "credits/checklists/validate_search.html", {
        "query": query, "rows": selectors.validation_search(user=request.user, query=query)})


@require_GET
@login_required
def validate_by_code(request, code: str):
    try:
        pk = signing.loads(code, salt=VALIDATION_CODE_SALT, max_age=VALIDATION_CODE_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    learner_checklist = selectors.learner_checklist_get_for_validator(user=request.user, pk=pk)
    return redirect("checklists:validate", pk=learner_checklist.pk)


@login_required
def validate(request, pk: int):
    learner_checklist = selectors.learner_checklist_get_for_validator(user=request.user, pk=pk)
    version = learner_checklist.version
    failed_form = None
    if request.method == "POST":
        skill = get_object_or_404(Skill.objects.select_related("section"),
                                  pk=request.POST.get("skill"), section__version=version)
        form = SkillValidationForm(request.POST, request.FILES, skill=skill,
                                   rating_scale=version.rating_scale)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.skill_validation_record(
                    learner_checklist=learner_checklist, skill=skill, validator=request.user,
                    status=data["status"], method=data["method"], level=data["level"],
                    validated_on=data["validated_on"], note=data["note"],
                    evidence=data["evidence"], correction_reason=data["correction_reason"],
                    authorised=True)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Recorded: %(skill)s.") % {"skill": skill.title})
                return redirect(reverse("checklists:validate", args=[pk]) + f"#skill-{skill.pk}")
        failed_form = form
    sections = selectors.skill_states(learner_checklist)
    for section in sections:
        for state in section.skills:
            state.form = (failed_form if failed_form and failed_form.skill.pk == state.skill.pk
                          else SkillValidationForm(skill=state.skill,
                                                   rating_scale=version.rating_scale))
    skill_count = sum(len(section.skills) for section in sections)
    resolved = sum(state.is_resolved for section in sections for state in section.skills)
    return render(request, "credits/checklists/validate.html", {
        "record": learner_checklist, "version": version, "sections": sections,
        "skill_count": skill_count, "resolved": resolved,
    }, status=400 if failed_form else 200)


# --- The educator ----------------------------------------------------------------------------

@require_GET
@checklist_builder_required
def builder_list(request):
    return render(request, "credits/checklists/builder_list.html", {
        "checklists": selectors.checklists_managed_by(request.user).select_related("owner")})


@checklist_builder_required
def builder_new(request):
    form = ChecklistForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checklist = services.checklist_create(
                owner=request.user, title=data["title"], description=data["description"],
                outline=data["outline"], rating_scale=data["rating_scale"],
                expires_after_months=data["expires_after_months"],
                credit_type=data["credit_type"], hours=data["hours"],
                resources=data["resources"], document=data["document"])
        except ValidationError as error:
            form.add_error("outline", error)
        else:
            return redirect("checklists:builder_detail", pk=checklist.pk)
    return render(request, "credits/checklists/builder_form.html", {"form": form})


@checklist_builder_required
def builder_detail(request, pk: int):
    checklist = selectors.checklist_get_for_manager(user=request.user, pk=pk)
    version = selectors.checklist_current_version(checklist)
    initial = {"title": checklist.title, "description": checklist.description,
               "outline": version.outline, "rating_scale": "\n".join(version.rating_scale),
               "expires_after_months": version.expires_after_months,
               "credit_type": checklist.credit_type, "hours": checklist.hours,
               "resources": "\n".join(f"{r.title} | {r.url}"
                                      for r in version.resources.all() if r.url)}
    form = ChecklistForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.checklist_update(
                checklist=checklist, actor=request.user, title=data["title"],
                description=data["description"], credit_type=data["credit_type"],
                hours=data["hours"], outline=data["outline"], rating_scale=data["rating_scale"],
                expires_after_months=data["expires_after_months"],
                resources=data["resources"], document=data["document"])
        except ValidationError as error:
            form.add_error("outline", error)
        else:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect("checklists:builder_detail", pk=checklist.pk)
    return render(request, "credits/checklists/builder_detail.html", {
        "checklist": checklist, "version": version, "form": form,
        "validators": checklist.validators.select_related("user", "unit").order_by(
            "user__full_name"),
        "validator_form": ValidatorForm(),
    })


@require_POST
@checklist_builder_required
def builder_publish(request, pk: int):
    checklist = selectors.checklist_get_for_manager(user=request.user, pk=pk)
    services.checklist_publish(checklist=checklist,
                               published=request.POST.get("published") == "1")
    return redirect("checklists:builder_detail", pk=checklist.pk)


@require_POST
@checklist_builder_required
def builder_validator_add(request, pk: int):
    checklist = selectors.checklist_get_for_manager(user=request.user, pk=pk)
    form = ValidatorForm(request.POST)
    if form.is_valid():
        services.validator_authorise(checklist=checklist, user=form.cleaned_data["email"],
                                     unit=form.cleaned_data["unit"], actor=request.user)
        messages.success(request, f"{form.cleaned_data['email'].display_name} may validate.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("checklists:builder_detail", pk=checklist.pk)


@require_POST
@checklist_builder_required
def builder_validator_revoke(request, pk: int, validator_id: int):
    checklist = selectors.checklist_get_for_manager(user=request.user, pk=pk)
    # A second click (or a second tab) finds it gone already: the same outcome.
    validator = Validator.objects.filter(pk=validator_id, checklist=checklist).first()
    if validator is not None:
        services.validator_revoke(validator=validator)
    return redirect("checklists:builder_detail", pk=checklist.pk)


# --- Unit managers ---------------------------------------------------------------------------

@require_GET
@login_required
def unit_list(request):
    return render(request, "credits/checklists/unit_list.html",
                  {"units": units_managed_by(request.user).order_by("name")})


def _unit_for_manager(user, pk: int) -> Unit:
    unit = units_managed_by(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@require_GET
@login_required
def unit_readiness(request, pk: int):
    unit = _unit_for_manager(request.user, pk)
    today = timezone.localdate()
    matrix = readiness_matrix(unit=unit, today=today)
    return render(request, "credits/checklists/unit_readiness.html", {
        "unit": unit, "today": today, "matrix": matrix, "counts": matrix.counts(),
        "states": Readiness.choices, "due_soon_days": settings.CHECKLIST_DUE_SOON_DAYS})


@require_GET
@login_required
def unit_readiness_download(request, pk: int, fmt: str):
    unit = _unit_for_manager(request.user, pk)
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        raise Http404
    exporter = ReadinessExporter()
    out = io.BytesIO()
    exporter.write(fmt, {"unit": unit}, out)
    response = HttpResponse(out.getvalue(), content_type=ExportFormat.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{exporter.filename(fmt, {"unit": unit})}"')
    return response


@require_GET
@login_required
def unit_person_pdf(request, pk: int, user_id: int):
    unit = _unit_for_manager(request.user, pk)
    person = person_in_unit(unit=unit, user_id=user_id)
    if person is None:
        raise Http404
    return HttpResponse(person_readiness_pdf(unit=unit, person=person),
                        content_type="application/pdf", headers={
                            "Content-Disposition":
                                f'inline; filename="readiness-{unit.pk}-{person.pk}.pdf"'})


# --- The education office --------------------------------------------------------------------

@administrator_required
def checklist_assign(request):
    """Assign a checklist as required training: a group now, or an email list after its
    preview on the assignment's page (credits/assignments/)."""
    form = ChecklistAssignmentForm(request.POST or None, request.FILES or None)
    if (request.method == "POST" and form.is_valid()
            and (opened := assignment_opened(request, form,
                                             checklist=form.cleaned_data["checklist"]))):
        return opened
    return render(request, "credits/checklists/assign.html", {
        "form": form, "revalidate_days": settings.CHECKLIST_REVALIDATE_DAYS_BEFORE,
    }, status=400 if form.errors else 200)
