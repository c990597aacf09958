"""Writes for competency days: setting up a station, and one tap of a station's validator (a
skill's validation with the station's method and level, and the learner's attendance)."""
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from courses.models import Session
from credits.attendance.services import attendance_station_record
from credits.checklists.models import (
    Checklist,
    LearnerChecklist,
    Skill,
    SkillValidation,
    Station,
    ValidationMethod,
)
from credits.checklists.selectors import checklist_current_version
from credits.checklists.services import learner_checklist_open, skill_validation_record
from credits.checklists.stations.selectors import latest_learner_checklist

# A station records a result in one tap: validated or needs remediation ("not applicable" is a
# judgement about the learner's practice, made on the bedside page, not at a station).
TAP_STATUSES = (SkillValidation.Status.VALIDATED, SkillValidation.Status.NEEDS_REMEDIATION)


def station_create(*, session: Session, name: str, checklist: Checklist, validator: User,
                   method: str, level: int, skills: list[Skill] = (),
                   created_by: User) -> Station:
    """A station on the checklist's current version, for every skill or the ones chosen; each
    must accept the station's method, and the level must be on the version's scale."""
    if session.is_cancelled:
        raise ValidationError("This session is cancelled; choose another for the skills day.")
    if not checklist.is_published:
        raise ValidationError("Publish the checklist before using it at a station.")
    version = checklist_current_version(checklist)
    skills = list(skills)
    if any(skill.section.version_id != version.pk for skill in skills):
        raise ValidationError("Choose skills of the checklist's current version.")
    station_skills = skills or list(Skill.objects.filter(section__version=version))
    refusing = [skill.title for skill in station_skills if method not in skill.methods]
    if refusing:
        raise ValidationError(
            f"{', '.join(refusing)} cannot be validated by {ValidationMethod(method).label.lower()}"
            ": choose another method or leave these skills out of the station.")
    if not 1 <= level <= len(version.rating_scale):
        raise ValidationError("Choose a level on the checklist's rating scale.")
    with transaction.atomic():
        station = Station.objects.create(
            session=session, name=name.strip(), checklist=checklist, version=version,
            validator=validator, method=method, level=level, created_by=created_by,
            position=Station.objects.filter(session=session).count() + 1)
        station.skills.set(skills)
    return station


def station_tap_record(*, station: Station, learner: User, skill: Skill,
                       status: str) -> SkillValidation:
    """One tap at a station: the learner's skill recorded by the station's validator with the
    station's method and level, on the learner's open checklist (opened on the station's
    version if they had none), and the learner present at the session. The caller has checked
    that the learner is enrolled and the skill belongs to the station
    (credits.checklists.stations.selectors)."""
    if status not in TAP_STATUSES:
        raise ValidationError("Choose validated or needs remediation.")
    if learner.pk == station.validator_id:
        raise ValidationError("Nobody validates themselves: ask another validator.")
    with transaction.atomic():
        learner_checklist = latest_learner_checklist(station=station, learner=learner)
        if learner_checklist is None:
            learner_checklist = learner_checklist_open(checklist=station.checklist,
                                                       learner=learner)
        elif learner_checklist.status == LearnerChecklist.Status.COMPLETED:
            raise ValidationError(f"{learner.display_name} has completed this checklist; "
                                  "nothing is left to validate here.")
        if learner_checklist.version_id != station.version_id:
            raise ValidationError(
                f"{learner.display_name} is on another version of this checklist: validate "
                "them at the bedside page of their checklist.")
        previous = (SkillValidation.objects.filter(learner_checklist=learner_checklist,
                                                   skill=skill).order_by("-pk").first())
        if (previous is not None and previous.status == status
                and previous.validator_id == station.validator_id):
            return previous  # a double tap, or the page sent again: recorded once
        entry = skill_validation_record(
            learner_checklist=learner_checklist, skill=skill, validator=station.validator,
            status=status, method=station.method, level=station.level, authorised=True)
        attendance_station_record(session=station.session, user=learner,
                                  recorded_by=station.validator)
    return entry

