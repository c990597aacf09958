"""A unit's readiness: its people × the published checklists, each cell valid, due soon,
overdue, in remediation, in progress or not started; the matrix a manager shows a Joint
Commission surveyor. Four queries for the whole unit."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from credits.checklists.models import (
    Checklist,
    LearnerChecklist,
    SkillValidation,
    Unit,
    UnitMembership,
)


class Readiness(models.TextChoices):
    VALID = "valid", _("Valid")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    REMEDIATION = "remediation", _("Remediation")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_STARTED = "not_started", _("Not started")


@dataclass
class ReadinessCell:
    state: str
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    checklist: Checklist | None = None
    remediation_due_on: datetime.date | None = None

    @property
    def label(self) -> str:
        return Readiness(self.state).label


@dataclass
class ReadinessRow:
    person: User
    cells: list[ReadinessCell]


@dataclass
class ReadinessMatrix:
    unit: Unit
    checklists: list[Checklist]
    rows: list[ReadinessRow]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Readiness.values, 0)
        for row in self.rows:
            for cell in row.cells:
                counts[cell.state] += 1
        return counts


def readiness_matrix(*, unit: Unit, today: datetime.date,
                     person: User | None = None) -> ReadinessMatrix:
    members = list(User.objects.filter(unit_memberships__unit=unit,
                                       unit_memberships__is_manager=False)
                   .order_by("full_name", "pk"))
    if person is not None:
        members = [member for member in members if member.pk == person.pk]
    checklists = list(Checklist.objects.filter(is_published=True).order_by("title"))
    learner_checklists = list(LearnerChecklist.objects.filter(
        learner__in=members, checklist__in=checklists).order_by("cycle"))
    open_ids = [row.pk for row in learner_checklists
                if row.status == LearnerChecklist.Status.IN_PROGRESS]
    latest_status: dict[tuple[int, int], str] = {}
    for learner_checklist_id, skill_id, status in (
            SkillValidation.objects.filter(learner_checklist_id__in=open_ids).order_by("pk")
            .values_list("learner_checklist_id", "skill_id", "status")):
        latest_status[(learner_checklist_id, skill_id)] = status
    in_remediation = {learner_checklist_id for (learner_checklist_id, _), status
                      in latest_status.items()
                      if status == SkillValidation.Status.NEEDS_REMEDIATION}
    by_person: dict[tuple[int, int], list[LearnerChecklist]] = {}
    for row in learner_checklists:
        by_person.setdefault((row.learner_id, row.checklist_id), []).append(row)
    due_soon_from = today + datetime.timedelta(days=settings.CHECKLIST_DUE_SOON_DAYS)
    rows = []
    for member in members:
        cells = []
        for checklist in checklists:
            cell = _cell(by_person.get((member.pk, checklist.pk), []), in_remediation,
                         today=today, due_soon_from=due_soon_from)
            cell.checklist = checklist
            cells.append(cell)
        rows.append(ReadinessRow(person=member, cells=cells))
    return ReadinessMatrix(unit=unit, checklists=checklists, rows=rows)


def _cell(cycles: list[LearnerChecklist], in_remediation: set[int], *,
          today: datetime.date, due_soon_from: datetime.date) -> ReadinessCell:
    completed = [row for row in cycles if row.status == LearnerChecklist.Status.COMPLETED]
    opened = [row for row in cycles if row.status == LearnerChecklist.Status.IN_PROGRESS]
    if opened and opened[-1].pk in in_remediation:
        last = completed[-1] if completed else None
        return ReadinessCell(state=Readiness.REMEDIATION, completed_on=last and last.completed_on,
                             expires_on=last and last.expires_on,
                             remediation_due_on=opened[-1].remediation_due_on)
    if completed:
        last = completed[-1]
        if last.expires_on is not None and last.expires_on <= today:
            state = Readiness.OVERDUE
        elif last.expires_on is not None and last.expires_on <= due_soon_from:
            state = Readiness.DUE_SOON
        else:
            state = Readiness.VALID
        return ReadinessCell(state=state, completed_on=last.completed_on,
                             expires_on=last.expires_on)
    elif opened:
        state = Readiness.IN_PROGRESS
    else:
        state = Readiness.NOT_STARTED
    last = completed[-1] if completed else None
    return ReadinessCell(state=state, completed_on=last and last.completed_on,
                         expires_on=last and last.expires_on)


def units_managed_by(user: User):
    if user.is_administrator:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__is_manager=True)


def person_in_unit(*, unit: Unit, user_id: int) -> User | None:
    membership = (UnitMembership.objects.select_related("user")
                  .filter(unit=unit, user_id=user_id, is_manager=False).first())
    return membership.user if membership else None
