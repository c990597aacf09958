"""Every write for checklists: building and versioning, authorising validators, opening a
learner's checklist, self-assessment, recording validations, and the completion record."""
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.disclosures.models import months_after
from credits.assignments.services import assignment_completions_record
from credits.checklists import tasks
from credits.checklists.models import (
    Checklist,
    ChecklistVersion,
    LearnerChecklist,
    Resource,
    Section,
    SelfAssessment,
    Skill,
    SkillValidation,
    Unit,
    Validator,
)
from credits.checklists.outline import outline_parse
from credits.checklists.selectors import checklist_current_version, user_may_validate
from credits.ledger.models import CreditRecord, ExternalActivity
from credits.ledger.services import credit_record_create

DEFAULT_RATING_SCALE = ["Needs assistance", "Performs with guidance", "Independent",
                        "Can teach others"]


def checklist_create(*, owner: User, title: str, description: str = "", outline: str,
                     rating_scale: list[str] | None = None,
                     expires_after_months: int | None = None, credit_type: str = "",
                     hours: Decimal = Decimal("1.00"),
                     resources: list[tuple[str, str]] = (), document=None) -> Checklist:
    with transaction.atomic():
        checklist = Checklist.objects.create(
            owner=owner, title=title.strip(), description=description.strip(), hours=hours,
            **({"credit_type": credit_type} if credit_type else {}))
        checklist_version_create(checklist=checklist, actor=owner, outline=outline,
                                 rating_scale=rating_scale,
                                 expires_after_months=expires_after_months,
                                 resources=resources, document=document)
    return checklist


def checklist_update(*, checklist: Checklist, actor: User, title: str, description: str,
                     credit_type: str, hours: Decimal, outline: str, rating_scale: list[str],
                     expires_after_months: int | None, resources: list[tuple[str, str]],
                     document=None) -> ChecklistVersion:
    """Save the educator's edit: the checklist's own fields, and its content as a new version."""
    with transaction.atomic():
        checklist.title, checklist.description = title.strip(), description.strip()
        checklist.credit_type, checklist.hours = credit_type, hours
        checklist.save(update_fields=["title", "description", "credit_type", "hours"])
        return checklist_version_create(
            checklist=checklist, actor=actor, outline=outline, rating_scale=rating_scale,
            expires_after_months=expires_after_months, resources=resources, document=document)


def checklist_version_create(*, checklist: Checklist, actor: User, outline: str,
                             rating_scale: list[str] | None = None,
                             expires_after_months: int | None = None,
                             resources: list[tuple[str, str]] = (),
                             document=None) -> ChecklistVersion:
    """A new version from the outline; learners' checklists stay on the version they opened."""
    sections = outline_parse(outline)
    rating_scale = [label.strip() for label in (rating_scale or DEFAULT_RATING_SCALE)
                    if label.strip()]
    if len(rating_scale) < 2:
        raise ValidationError("A rating scale needs at least two levels.")
    with transaction.atomic():
        Checklist.objects.select_for_update().get(pk=checklist.pk)
        previous = checklist_current_version(checklist)
        version = ChecklistVersion.objects.create(
            checklist=checklist, number=(previous.number + 1) if previous else 1,
            outline=outline.strip(), rating_scale=rating_scale,
            expires_after_months=expires_after_months, created_by=actor)
        for section_position, parsed in enumerate(sections, start=1):
            section = Section.objects.create(version=version, title=parsed.title,
                                             position=section_position)
            Skill.objects.bulk_create(
                Skill(section=section, title=skill.title, methods=skill.methods,
                      critical_steps=skill.critical_steps, position=position)
                for position, skill in enumerate(parsed.skills, start=1))
        for title, url in resources:
            Resource.objects.create(version=version, title=title, url=url)
        if document is not None:
            Resource.objects.create(version=version, title=document.name.rsplit(".", 1)[0],
                                    document=document)
        elif previous is not None:
            for kept in previous.resources.exclude(document=""):
                Resource.objects.create(version=version, title=kept.title,
                                        document=kept.document.name)
    return version


def checklist_publish(*, checklist: Checklist, published: bool = True) -> Checklist:
    checklist.is_published = published
    checklist.save(update_fields=["is_published"])
    return checklist


def validator_authorise(*, checklist: Checklist, user: User, unit: Unit | None,
                        actor: User) -> Validator:
    validator, _ = Validator.objects.get_or_create(
        checklist=checklist, user=user, unit=unit, defaults={"authorised_by": actor})
    return validator


def validator_revoke(*, validator: Validator) -> None:
    # An authorisation is not evidence: the validations it allowed keep their validator.
    validator.delete()


def learner_checklist_open(*, checklist: Checklist, learner: User,
                           now: datetime.datetime | None = None) -> LearnerChecklist:
    """The learner's open checklist, or a new cycle on the current version. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        open_one = LearnerChecklist.objects.filter(
            checklist=checklist, learner=learner,
            status=LearnerChecklist.Status.IN_PROGRESS).first()
        if open_one is not None:
            return open_one
        last = (LearnerChecklist.objects.filter(checklist=checklist, learner=learner)
                .order_by("-cycle").first())
        return LearnerChecklist.objects.create(
            checklist=checklist, learner=learner, version=checklist_current_version(checklist),
            cycle=(last.cycle + 1) if last else 1, opened_at=now)


def self_assessment_record(*, learner_checklist: LearnerChecklist, skill: Skill,
                           level: int) -> SelfAssessment:
    _skill_check(learner_checklist, skill)
    _level_check(learner_checklist, level)
    return SelfAssessment.objects.create(learner_checklist=learner_checklist, skill=skill,
                                         level=level)


def skill_validation_record(*, learner_checklist: LearnerChecklist, skill: Skill,
                            validator: User, status: str, method: str = "",
                            level: int | None = None, validated_on: datetime.date | None = None,
                            note: str = "", evidence=None, correction_reason: str = "",
                            authorised: bool = False) -> SkillValidation:
    """Record a validator's entry for one skill. Changing a skill already validated or marked
    not applicable is a correction and needs a reason; after remediation a new entry is simply
    the next observation. Completes the checklist when every skill is validated or not
    applicable. `authorised=True`: the caller has already checked `user_may_validate`."""
    if not authorised and not user_may_validate(user=validator,
                                                learner_checklist=learner_checklist):
        raise ValidationError("You are not authorised to validate this checklist.")
    _skill_check(learner_checklist, skill)
    if status not in SkillValidation.Status.values:
        raise ValidationError("Choose validated, needs remediation or not applicable.")
    if status == SkillValidation.Status.NOT_APPLICABLE:
        method, level = "", None
    else:
        if method not in skill.methods:
            raise ValidationError("Choose one of the methods this skill accepts.")
        _level_check(learner_checklist, level)
    validated_on = validated_on or timezone.localdate()
    if validated_on > timezone.localdate():
        raise ValidationError("The validation date cannot be in the future.")
    correction_reason = correction_reason.strip()
    with transaction.atomic():
        learner_checklist = (LearnerChecklist.objects.select_for_update(of=("self",))
                             .select_related("version").get(pk=learner_checklist.pk))
        if learner_checklist.status == LearnerChecklist.Status.COMPLETED:
            raise ValidationError("This checklist is complete; the next validation starts a new "
                                  "cycle.")
        previous = (SkillValidation.objects.filter(learner_checklist=learner_checklist,
                                                   skill=skill).order_by("-pk").first())
        corrects = None
        if previous is not None and previous.status != SkillValidation.Status.NEEDS_REMEDIATION:
            if not correction_reason:
                raise ValidationError("This skill already has a result: give a reason for the "
                                      "correction; the earlier entry is kept.")
            corrects = previous
        if evidence is not None:
            extension = evidence.name.rsplit(".", 1)[-1].lower()[:5]
            evidence.name = f"{secrets.token_urlsafe(12)}.{extension}"
        entry = SkillValidation.objects.create(
            learner_checklist=learner_checklist, skill=skill, validator=validator,
            method=method, level=level, status=status, validated_on=validated_on,
            note=note.strip(), evidence=evidence or "", corrects=corrects,
            correction_reason=correction_reason if corrects else "")
        _remediation_follow_up(learner_checklist, entry)
        _complete_if_every_skill_resolved(learner_checklist)
    return entry


def _remediation_follow_up(learner_checklist: LearnerChecklist, entry: SkillValidation) -> None:
    """A skill needing remediation sets the follow-up's due date (the first one counts); the
    date clears when no skill's latest entry needs remediation."""
    if entry.status == SkillValidation.Status.NEEDS_REMEDIATION:
        if learner_checklist.remediation_due_on is None:
            learner_checklist.remediation_due_on = entry.validated_on + datetime.timedelta(
                days=settings.CHECKLIST_REMEDIATION_DAYS)
            learner_checklist.save(update_fields=["remediation_due_on"])
        return
    if learner_checklist.remediation_due_on is None:
        return
    latest: dict[int, str] = dict(
        SkillValidation.objects.filter(learner_checklist=learner_checklist).order_by("pk")
        .values_list("skill_id", "status"))
    if SkillValidation.Status.NEEDS_REMEDIATION not in latest.values():
        learner_checklist.remediation_due_on = None
        learner_checklist.save(update_fields=["remediation_due_on"])


def _complete_if_every_skill_resolved(learner_checklist: LearnerChecklist) -> None:
    """Two reads: the version's skill count and the latest entry of each skill."""
    latest: dict[int, tuple[str, datetime.date]] = {}
    for skill_id, status, validated_on in (
            SkillValidation.objects.filter(learner_checklist=learner_checklist)
            .order_by("pk").values_list("skill_id", "status", "validated_on")):
        latest[skill_id] = (status, validated_on)
    resolved = (SkillValidation.Status.VALIDATED, SkillValidation.Status.NOT_APPLICABLE)
    if any(status not in resolved for status, _ in latest.values()):
        return
    if len(latest) < Skill.objects.filter(section__version_id=learner_checklist.version_id
                                          ).count():
        return
    validated = [day for status, day in latest.values()
                 if status == SkillValidation.Status.VALIDATED]
    if not validated:
        return  # every skill not applicable is no competency to certify
    completed_on = max(validated)
    months = learner_checklist.version.expires_after_months
    learner_checklist.status = LearnerChecklist.Status.COMPLETED
    learner_checklist.completed_on = completed_on
    learner_checklist.expires_on = (months_after(completed_on, months)
                                    if months else None)
    learner_checklist.save(update_fields=["status", "completed_on", "expires_on"])
    tasks.checklist_record_issue.delay_on_commit(learner_checklist.pk)
    learner_id, checklist_id = learner_checklist.learner_id, learner_checklist.checklist_id
    transaction.on_commit(lambda: assignment_completions_record(
        user_ids=[learner_id], checklist_ids=[checklist_id]))


def checklist_record_issue_now(*, learner_checklist_id: int,
                               now: datetime.datetime | None = None) -> str:
    """Render the PDF of validated competencies and put the completion on the transcript
    (an activity recorded by the education office, with the checklist's hours), at `now` (the
    demo's history passes a past moment). Idempotent."""
    now = now or timezone.now()
    from credits.checklists.pdf import competencies_pdf

    with transaction.atomic():
        learner_checklist = (LearnerChecklist.objects.select_for_update()
                             .select_related("checklist", "version", "learner")
                             .get(pk=learner_checklist_id))
        if learner_checklist.external_activity_id:
            return "already issued"
        content = competencies_pdf(learner_checklist)
        name = f"{secrets.token_urlsafe(16)}.pdf"
        learner_checklist.pdf.save(name, ContentFile(content), save=False)
        checklist = learner_checklist.checklist
        activity = ExternalActivity.objects.create(
            user=learner_checklist.learner, provider=settings.HOSPITAL_NAME,
            title=f"{checklist.title} — competency validation",
            completed_on=learner_checklist.completed_on, credit_type=checklist.credit_type,
            amount=checklist.hours, certificate=learner_checklist.pdf.name,
            verified_at=now)
        credit_record_create(user=learner_checklist.learner, external_activity=activity,
                             credit_type=checklist.credit_type, amount=checklist.hours,
                             completed_on=learner_checklist.completed_on,
                             source=CreditRecord.Source.ADMINISTRATOR, actor=None,
                             reason="Skills checklist completed", now=now)
        learner_checklist.external_activity = activity
        learner_checklist.save(update_fields=["pdf", "external_activity"])
    return "issued"


def _skill_check(learner_checklist: LearnerChecklist, skill: Skill) -> None:
    if skill.section.version_id != learner_checklist.version_id:
        raise ValidationError("This skill is not on the learner's version of the checklist.")


def _level_check(learner_checklist: LearnerChecklist, level: int | None) -> None:
    if level is None or not 1 <= level <= len(learner_checklist.version.rating_scale):
        raise ValidationError("Choose a level on the checklist's rating scale.")
