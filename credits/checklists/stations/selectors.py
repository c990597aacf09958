"""Reads for competency days: a validator's stations, the learners enrolled in a station's
session with their progress on its skills, and one learner's skills at the station. Each page
reads in a fixed number of queries whatever the number of learners."""
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from courses.models import Enrolment, Session
from credits.checklists.models import LearnerChecklist, Skill, SkillValidation, Station


def stations_of_validator(*, user: User) -> list[Station]:
    """The stations a validator runs on sessions that have not ended, soonest first."""
    return list(Station.objects.filter(validator=user, session__is_cancelled=False,
                                       session__ends_at__gte=timezone.now())
                .select_related("session__course", "checklist")
                .order_by("session__starts_at", "position", "pk"))


def station_get_for_validator(*, user: User, pk: int) -> Station:
    """The station if `user` is its validator; 404 for anyone else."""
    station = (Station.objects
               .select_related("session__course", "checklist", "version", "validator")
               .filter(pk=pk, validator=user).first())
    if station is None:
        raise Http404("No station of yours has this number.")
    return station


def stations_of_session(*, session: Session) -> list[Station]:
    return list(Station.objects.filter(session=session)
                .select_related("checklist", "version", "validator")
                .prefetch_related("skills").order_by("position", "pk"))


def station_skills(station: Station) -> list[Skill]:
    """The station's skills in checklist order: the ones chosen, or every skill of its
    version when none were (one query)."""
    chosen = Station.skills.through.objects.filter(station_id=station.pk)
    return list(Skill.objects.filter(section__version_id=station.version_id)
                .filter(Q(pk__in=chosen.values("skill_id")) | ~Exists(chosen))
                .select_related("section")
                .order_by("section__position", "position"))


def _enrolled(station: Station) -> QuerySet[User]:
    return (User.objects.filter(enrolments__course_id=station.session.course_id,
                                enrolments__status=Enrolment.Status.ENROLLED)
            .exclude(pk=station.validator_id))


def latest_learner_checklist(*, station: Station, learner: User) -> LearnerChecklist | None:
    """The learner's open or latest checklist of the station (none before their first tap)."""
    return (LearnerChecklist.objects.filter(checklist_id=station.checklist_id, learner=learner)
            .select_related("version").order_by("-cycle").first())


def station_learner_get(*, station: Station, user_id: int) -> User:
    """A learner enrolled in the station's session, other than its validator; 404 otherwise."""
    learner = _enrolled(station).filter(pk=user_id).first()
    if learner is None:
        raise Http404("Nobody enrolled in this session has this number.")
    return learner


@dataclass
class StationLearner:
    learner: User
    done: int = 0
    needs_remediation: int = 0
    completed: bool = False


def _latest_statuses(learner_checklist_ids, skill_ids) -> dict[tuple[int, int], str]:
    """(learner checklist, skill) -> the status of the skill's latest entry, in one query."""
    latest: dict[tuple[int, int], str] = {}
    for checklist_id, skill_id, status in (
            SkillValidation.objects.filter(learner_checklist_id__in=learner_checklist_ids,
                                           skill_id__in=skill_ids)
            .order_by("pk").values_list("learner_checklist_id", "skill_id", "status")):
        latest[(checklist_id, skill_id)] = status
    return latest


def station_learners(*, station: Station, skills: list[Skill],
                     query: str = "") -> list[StationLearner]:
    """The learners enrolled in the station's session, by name, each with how many of the
    station's skills are validated or need remediation: three queries for any number."""
    learners = _enrolled(station).order_by("full_name", "pk")
    query = query.strip()
    if query:
        learners = learners.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    rows = {learner.pk: StationLearner(learner=learner) for learner in learners}
    current: dict[int, LearnerChecklist] = {}
    for learner_checklist in (LearnerChecklist.objects
                              .filter(checklist_id=station.checklist_id, learner_id__in=rows)
                              .order_by("cycle")):
        current[learner_checklist.learner_id] = learner_checklist  # the latest cycle wins
    skill_ids = [skill.pk for skill in skills]
    latest = _latest_statuses([row.pk for row in current.values()], skill_ids)
    for learner_id, learner_checklist in current.items():
        row = rows[learner_id]
        row.completed = learner_checklist.status == LearnerChecklist.Status.COMPLETED
        for skill_id in skill_ids:
            status = latest.get((learner_checklist.pk, skill_id))
            row.done += status == SkillValidation.Status.VALIDATED
            row.needs_remediation += status == SkillValidation.Status.NEEDS_REMEDIATION
    return list(rows.values())


@dataclass
class StationSkill:
    skill: Skill
    status: str = ""


def station_skill_states(*, learner_checklist: LearnerChecklist | None,
                         skills: list[Skill]) -> list[StationSkill]:
    """Each station skill with its latest status for the learner (one query)."""
    if learner_checklist is None:
        return [StationSkill(skill=skill) for skill in skills]
    latest = _latest_statuses([learner_checklist.pk], [skill.pk for skill in skills])
    return [StationSkill(skill=skill, status=latest.get((learner_checklist.pk, skill.pk), ""))
            for skill in skills]
