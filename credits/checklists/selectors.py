"""Reads for checklists: who may validate whom, a learner checklist's current state per skill,
and the lists behind the pages. Each page reads in a fixed number of queries."""
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from credits.checklists.models import (
    Checklist,
    ChecklistVersion,
    LearnerChecklist,
    Section,
    SelfAssessment,
    Skill,
    SkillValidation,
    Unit,
    UnitMembership,
    Validator,
)


def checklist_current_version(checklist: Checklist) -> ChecklistVersion:
    return checklist.versions.order_by("-number").first()


def checklists_managed_by(user: User) -> QuerySet[Checklist]:
    """The office manages every checklist; an educator the ones they built."""
    if user.is_administrator:
        return Checklist.objects.all()
    if user.is_educator:
        return Checklist.objects.filter(owner=user)
    return Checklist.objects.none()


def checklist_get_for_manager(*, user: User, pk: int) -> Checklist:
    checklist = checklists_managed_by(user).filter(pk=pk).first()
    if checklist is None:
        raise Http404
    return checklist


def _validator_rows_for(user: User, learner_field: str = "learner") -> Q:
    """Learner checklists `user` may validate: authorised for the checklist, for everyone or
    for a unit the learner belongs to, and never their own."""
    authorised = Validator.objects.filter(
        Q(unit=None) | Q(unit__memberships__user=OuterRef(learner_field)),
        checklist=OuterRef("checklist"), user=user)
    return Q(Exists(authorised)) & ~Q(**{learner_field: user})


def learner_checklists_validated_by(user: User) -> QuerySet[LearnerChecklist]:
    if not user.is_authenticated:
        return LearnerChecklist.objects.none()
    return LearnerChecklist.objects.filter(_validator_rows_for(user))


def user_may_validate(*, user: User, learner_checklist: LearnerChecklist) -> bool:
    return learner_checklists_validated_by(user).filter(pk=learner_checklist.pk).exists()


def learner_checklist_get_for_validator(*, user: User, pk: int) -> LearnerChecklist:
    found = (learner_checklists_validated_by(user)
             .select_related("learner", "checklist", "version").filter(pk=pk).first())
    if found is None:
        raise Http404
    return found


def learner_checklist_get_for_learner(*, user: User, pk: int) -> LearnerChecklist:
    found = (LearnerChecklist.objects.select_related("checklist", "version")
             .filter(pk=pk, learner=user).first())
    if found is None:
        raise Http404
    return found


def validation_search(*, user: User, query: str, limit: int = 30) -> list[LearnerChecklist]:
    """Open checklists the validator may validate, by the learner's name or email."""
    rows = (learner_checklists_validated_by(user)
            .filter(status=LearnerChecklist.Status.IN_PROGRESS)
            .select_related("learner", "checklist").order_by("learner__full_name", "pk"))
    query = query.strip()
    if query:
        rows = rows.filter(Q(learner__full_name__icontains=query)
                           | Q(learner__email__icontains=query))
    return list(rows[:limit])


def checklists_open_to_learners() -> QuerySet[Checklist]:
    return Checklist.objects.filter(is_published=True)


@dataclass
class SkillState:
    skill: Skill
    validation: SkillValidation | None = None
    self_level: int | None = None
    history: list[SkillValidation] = field(default_factory=list)
    level_label: str = ""

    @property
    def is_resolved(self) -> bool:
        return self.validation is not None and self.validation.status in (
            SkillValidation.Status.VALIDATED, SkillValidation.Status.NOT_APPLICABLE)

    @property
    def needs_remediation(self) -> bool:
        return (self.validation is not None
                and self.validation.status == SkillValidation.Status.NEEDS_REMEDIATION)


@dataclass
class SectionState:
    section: Section
    skills: list[SkillState]


def skill_states(learner_checklist: LearnerChecklist) -> list[SectionState]:
    """Every section and skill of the learner's version with its latest validation, history
    and self-assessment: four queries whatever the number of skills."""
    sections = list(Section.objects.filter(version_id=learner_checklist.version_id)
                    .prefetch_related("skills"))
    history: dict[int, list[SkillValidation]] = {}
    for entry in (SkillValidation.objects.filter(learner_checklist=learner_checklist)
                  .select_related("validator").order_by("pk")):
        history.setdefault(entry.skill_id, []).append(entry)
    self_levels = dict(SelfAssessment.objects.filter(learner_checklist=learner_checklist)
                       .order_by("pk").values_list("skill_id", "level"))
    version = learner_checklist.version
    states = []
    for section in sections:
        skills = []
        for skill in section.skills.all():
            entries = history.get(skill.pk, [])
            latest = entries[-1] if entries else None
            skills.append(SkillState(
                skill=skill, validation=latest, self_level=self_levels.get(skill.pk),
                history=entries, level_label=version.level_label(latest and latest.level)))
        states.append(SectionState(section=section, skills=skills))
    return states


def validated_skill_counts(learner_checklist_ids) -> dict[int, int]:
    """How many skills each learner checklist has validated (the latest entry of a skill is its
    state: a later one corrects an earlier one), for any number of them in one query."""
    latest: dict[tuple[int, int], str] = {}
    for learner_checklist_id, skill_id, status in (
            SkillValidation.objects.filter(learner_checklist_id__in=learner_checklist_ids)
            .order_by("pk").values_list("learner_checklist_id", "skill_id", "status")):
        latest[learner_checklist_id, skill_id] = status
    counts = dict.fromkeys(learner_checklist_ids, 0)
    for (learner_checklist_id, _skill), status in latest.items():
        counts[learner_checklist_id] += status == SkillValidation.Status.VALIDATED
    return counts


def unit_ids_of(user: User) -> list[int]:
    return list(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))


def checklist_completions(user_ids, checklist_ids):
    """{(learner, checklist): latest completion date}: assigned learning's completion source
    for checklists (registered in ChecklistsConfig.ready), one query."""
    return {(row["learner_id"], row["checklist_id"]): row["latest"]
            for row in LearnerChecklist.objects.filter(
                learner_id__in=user_ids, checklist_id__in=checklist_ids,
                status=LearnerChecklist.Status.COMPLETED)
            .values("learner_id", "checklist_id").annotate(latest=Max("completed_on"))}


def unit_people(unit_id: str) -> QuerySet[User]:
    """A unit's people, managers aside (as the readiness matrix counts them): assigned
    learning's "Everyone in a unit" target."""
    return User.objects.filter(unit_memberships__unit_id=int(unit_id),
                               unit_memberships__is_manager=False)


def unit_assignment_label(unit_id: str) -> str:
    unit = Unit.objects.filter(pk=int(unit_id)).first()
    return f"Unit: {unit.name if unit else 'removed'}"
