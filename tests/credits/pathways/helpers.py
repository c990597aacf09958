"""A sepsis champion track for the pathway tests: a live course, an online module, a drill that
unlocks after the module, and an elective pair (1 of 2: an external activity or a second
module); and a new graduate nurse residency run by cohort, with a skills checklist step."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from courses.models import Course
from credits.checklists.models import Checklist, LearnerChecklist, Skill
from credits.checklists.services import learner_checklist_open, skill_validation_record
from credits.ledger.models import CreditRecord
from credits.ledger.services import credit_record_create
from credits.online.models import ModuleProgress
from credits.pathways.applications import cohort_create
from credits.pathways.models import Cohort, Pathway, PathwayEnrolment, Step
from credits.pathways.services import (
    pathway_assign,
    pathway_create,
    pathway_version_publish,
    step_add,
    step_group_add,
)
from tests.credits.checklists.helpers import make_checklist
from tests.credits.online.helpers import make_module
from tests.factories import CourseFactory, UserFactory


@dataclass
class Track:
    pathway: Pathway
    live: Course
    module: Course
    drill: Course
    elective_module: Course
    drill_step: Step
    external_step: Step


def make_track(author, *, time_limit_days=None, entry=Pathway.Entry.OPEN) -> Track:
    live = CourseFactory(title="Sepsis Grand Rounds: the first hour")
    module = make_module(title="Recognising Sepsis Early")
    drill = CourseFactory(title="Sepsis Bundle Drill", format=Course.Format.DRILL)
    elective_module = make_module(title="Lactate and Fluid Resuscitation")
    pathway = pathway_create(created_by=author, title="Sepsis champion track",
                             summary="For nurses and physicians who lead sepsis care on a unit.",
                             entry=entry, time_limit_days=time_limit_days)
    version = pathway.versions.get()
    core = step_group_add(version=version, title="Core")
    step_add(group=core, kind=Step.Kind.LIVE_COURSE, course=live, due_days_after_start=30)
    module_step = step_add(group=core, kind=Step.Kind.ONLINE_MODULE, course=module)
    drill_step = step_add(group=core, kind=Step.Kind.DRILL, course=drill,
                          prerequisite=module_step)
    electives = step_group_add(version=version, title="Choose one elective", required_count=1)
    external_step = step_add(group=electives, kind=Step.Kind.EXTERNAL,
                             title="Sepsis simulation at the regional centre")
    step_add(group=electives, kind=Step.Kind.ONLINE_MODULE, course=elective_module)
    pathway_version_publish(version=version)
    pathway.refresh_from_db()
    return Track(pathway=pathway, live=live, module=module, drill=drill,
                 elective_module=elective_module, drill_step=drill_step,
                 external_step=external_step)


def complete_module(user, course, on: datetime.date | None = None) -> ModuleProgress:
    now = timezone.now()
    return ModuleProgress.objects.create(user=user, course=course, started_at=now,
                                         completed_at=now,
                                         completed_on=on or timezone.localdate())


def claim_credit(user, course, on: datetime.date | None = None) -> CreditRecord:
    """Credit as a claim records it (the signal included), without the claim's page (that
    journey has its own tests)."""
    return credit_record_create(user=user, course=course, credit_type="ama_pra_1",
                                amount=Decimal("1.00"), completed_on=on or timezone.localdate(),
                                source=CreditRecord.Source.CLAIM, actor=user)


@dataclass
class Residency:
    pathway: Pathway
    checklist: Checklist
    modules: list[Course]
    drill: Course
    cohort: Cohort


def make_residency(author, *, cohort_started_days_ago: int = 10) -> Residency:
    """A new graduate nurse residency assigned by cohort: a skills day (a checklist of two
    skills, due on day 14), two online modules (due on days 7 and 21) and a drill (day 30)."""
    checklist = make_checklist(owner=author, skills=2, title="Residency skills day")
    modules = [make_module(title=title, lessons=1, questions=1)
               for title in ("Central Line Care", "Safe Blood Transfusion")]
    drill = CourseFactory(title="Deteriorating Patient Drill", format=Course.Format.DRILL)
    pathway = pathway_create(created_by=author, title="New graduate nurse residency",
                             summary="The first three months on a unit.",
                             entry=Pathway.Entry.ASSIGNED)
    core = step_group_add(version=pathway.versions.get(), title="Core")
    step_add(group=core, kind=Step.Kind.ONLINE_MODULE, course=modules[0], due_days_after_start=7)
    step_add(group=core, kind=Step.Kind.SKILLS_CHECKLIST, checklist=checklist,
             due_days_after_start=14)
    step_add(group=core, kind=Step.Kind.ONLINE_MODULE, course=modules[1], due_days_after_start=21)
    step_add(group=core, kind=Step.Kind.DRILL, course=drill, due_days_after_start=30)
    pathway_version_publish(version=pathway.versions.get())
    pathway.refresh_from_db()
    cohort = cohort_create(pathway=pathway, name="January 2027 hires", starts_on=(
        timezone.localdate() - datetime.timedelta(days=cohort_started_days_ago)))
    return Residency(pathway=pathway, checklist=checklist, modules=modules, drill=drill,
                     cohort=cohort)


def validate_every_skill(learner_checklist: LearnerChecklist, validator) -> None:
    for skill in Skill.objects.filter(section__version=learner_checklist.version):
        skill_validation_record(learner_checklist=learner_checklist, skill=skill,
                                validator=validator, status="validated",
                                method="return_demonstration", level=3, authorised=True)


def cohort_of(residency, names) -> list:
    """Nurses of the residency's specialty, assigned to its cohort."""
    nurses = [UserFactory(full_name=name, degree="RN", profession="nurse", specialty="Residency")
              for name in names]
    added = pathway_assign(pathway=residency.pathway, target="specialty",
                           target_value="Residency", cohort=residency.cohort)
    assert added == len(nurses)
    return nurses


def residency_ten_days_in(educator):
    """Ten days into the cohort: Amelia finished everything, Luis did the day-7 module, Hannah
    has done nothing (the module due on day 7 is overdue)."""
    residency = make_residency(educator)
    amelia, luis, hannah = cohort_of(residency, ["Amelia Chen", "Luis Navarro", "Hannah Brooks"])
    started = residency.cohort.starts_on
    for module in residency.modules:
        complete_module(amelia, module, on=started + datetime.timedelta(days=3))
    complete_module(luis, residency.modules[0], on=started + datetime.timedelta(days=5))
    claim_credit(amelia, residency.drill, on=started + datetime.timedelta(days=4))
    opened = learner_checklist_open(checklist=residency.checklist, learner=amelia)
    validate_every_skill(opened, validator=educator)
    PathwayEnrolment.objects.filter(user=amelia).update(  # as the receiver records it
        status=PathwayEnrolment.Status.COMPLETED, completed_on=timezone.localdate())
    return residency, amelia, luis, hannah
