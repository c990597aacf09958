"""A sepsis champion track for the pathway tests: a live course, an online module, a drill that
unlocks after the module, and an elective pair (1 of 2: an external activity or a second
module)."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from courses.models import Course
from credits.ledger.models import CreditRecord
from credits.ledger.services import credit_record_create
from credits.online.models import ModuleProgress
from credits.pathways.models import Pathway, Step
from credits.pathways.services import (
    pathway_create,
    pathway_version_publish,
    step_add,
    step_group_add,
)
from tests.credits.online.helpers import make_module
from tests.factories import CourseFactory


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
