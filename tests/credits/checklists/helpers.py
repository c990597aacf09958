"""Builders for checklist tests: an annual central-line and blood-administration checklist of
any number of skills, a unit with its people, and a validator authorised for the unit."""
from credits.checklists.models import Checklist, Unit, UnitMembership
from credits.checklists.services import checklist_create, validator_authorise
from tests.factories import UserFactory

SKILL_TITLES = [
    "Central-line dressing change", "Needleless connector change", "Blood culture from a CVC",
    "Flushing and locking a CVC", "Implanted port access", "Blood product verification",
    "Transfusion reaction response", "Pre-transfusion vital signs", "Restraint application",
    "Restraint monitoring and release", "Glucometer quality control", "Insulin drip titration",
    "Heparin nomogram dosing", "Rapid response activation", "Defibrillator check",
    "Chest tube drainage check", "Tracheostomy suctioning", "Nasogastric tube placement check",
    "Wound vacuum dressing change", "Peripheral IV insertion", "Sepsis bundle initiation",
    "Fall-risk assessment", "PCA pump programming", "Isolation precautions",
]


def outline_of(skill_count: int, *, sections: int = 4) -> str:
    lines, per_section = [], -(-skill_count // sections)
    for index in range(skill_count):
        if index % per_section == 0:
            lines.append(f"Section: Part {index // per_section + 1}")
        lines.append(f"Skill: {SKILL_TITLES[index]} | observation, return demonstration")
        lines.append("- Performs hand hygiene and identifies the patient with two identifiers")
        lines.append("- Explains the procedure and documents it in the record")
    return "\n".join(lines)


def make_checklist(*, owner=None, skills: int = 20, expires_after_months: int | None = 12,
                   title: str = "Annual nursing competencies 2027",
                   published: bool = True) -> Checklist:
    owner = owner or UserFactory(roles=["Educator"])
    checklist = checklist_create(owner=owner, title=title, outline=outline_of(skills),
                                 expires_after_months=expires_after_months)
    checklist.is_published = published
    checklist.save(update_fields=["is_published"])
    return checklist


def make_unit(name: str, *members, managers=()) -> Unit:
    unit = Unit.objects.create(name=name)
    for member in members:
        UnitMembership.objects.create(unit=unit, user=member)
    for manager in managers:
        UnitMembership.objects.create(unit=unit, user=manager, is_manager=True)
    return unit


def authorise(checklist, validator, unit=None):
    return validator_authorise(checklist=checklist, user=validator, unit=unit,
                               actor=checklist.owner)
