"""Skills checklists: Marcus Lee's *Annual nursing competencies* (central-line care, blood
administration, restraints, glycaemic care), two units with their managers, and Marcus
authorised to validate both. In the ICU two nurses were validated last winter and one this
month; one needs remediation on the transfusion-reaction skill; one has not started.
"""
import datetime

from django.db import transaction

from credits.checklists.models import Checklist, LearnerChecklist, Skill, Unit, UnitMembership
from credits.checklists.services import (
    checklist_create,
    checklist_publish,
    checklist_record_issue_now,
    learner_checklist_open,
    self_assessment_record,
    skill_validation_record,
    validator_authorise,
)

from .context import Demo, Plan
from .people import COLLEAGUE_DOMAIN

TITLE = "Annual nursing competencies"
OUTLINE = """Section: Central venous access
Skill: Central-line dressing change | observation, return demonstration
- Performs hand hygiene; dons mask and sterile gloves; patient turns head away
- Removes the old dressing toward the insertion site without touching the catheter
- Scrubs the site with 2% chlorhexidine in alcohol for 30 seconds and lets it dry fully
- Applies a chlorhexidine-impregnated sponge and a transparent dressing; labels the date
Skill: Needleless connector change | observation, return demonstration
- Clamps the lumen and scrubs the hub for 15 seconds before removing the connector
- Primes the new connector and attaches it aseptically; flushes with 10 mL saline
Skill: Blood sampling from a central line | observation, simulation
- Discards the first 5 mL (or per policy) and draws samples in order of draw
- Flushes with 20 mL saline pulsatile and documents the access
Section: Blood administration
Skill: Two-person bedside verification | observation, verbal
- Verifies the order, consent and the patient's two identifiers against the wristband
- Checks product, unit number, ABO/Rh, expiry and visual inspection with a second RN
Skill: Starting and monitoring a transfusion | observation, return demonstration
- Takes vital signs before, 15 minutes after the start and at completion
- Runs the first 15 minutes at no more than 2 mL/min and stays with the patient
Skill: Recognising and responding to a transfusion reaction | simulation, verbal
- Stops the transfusion, keeps the line open with saline and calls the provider
- Sends the bag, tubing and post-reaction samples to the blood bank; documents the reaction
Section: Restraints
Skill: Applying a soft wrist restraint | return demonstration, simulation
- Confirms a current order and that less restrictive measures were tried
- Secures to the bed frame with a quick-release knot, two fingers' space at the wrist
Skill: Monitoring and release of a restrained patient | observation, verbal
- Checks circulation, skin and comfort every 2 hours; offers fluids and toileting
- Documents continued need and releases as soon as criteria are met
Section: Glycaemic care
Skill: Glucometer quality control | return demonstration, test
- Runs low and high control solutions and records them before patient testing
Skill: Recognising and treating hypoglycaemia | verbal, test
- Gives 15 g of fast-acting carbohydrate for glucose below 70 mg/dL and rechecks in 15 minutes
"""
RESOURCES = [
    ("Policy NUR-214: Central venous catheter care", "https://policies.example.org/nur-214"),
    ("Policy TM-05: Administration of blood components", "https://policies.example.org/tm-05"),
    ("Drill: Recognising Sepsis Early", "/drills/"),
]
UNITS = {
    "Medical Intensive Care Unit": {
        "manager": "Nora Sullivan",
        "nurses": ["Jordan Ellis", "Isaac Cohen", "Victor Nguyen", "Zoe Clarke"],
    },
    "6 West Medical-Surgical": {
        "manager": "Esther Mwangi",
        "nurses": ["Chloe Martin", "Samuel Greene", "Ben Foster"],
    },
}


def plan(demo: Demo) -> Plan:
    return Plan(notes=(f"Creates the skills checklist “{TITLE}”, the units "
                       f"{', '.join(UNITS)} with their managers, and validations by Marcus "
                       f"Lee.",))


def _colleague(name: str):
    from accounts.models import User

    return User.objects.get(email=name.lower().replace(" ", ".") + "@" + COLLEAGUE_DOMAIN)


def seed(demo: Demo) -> None:
    if Checklist.objects.filter(title=TITLE).exists():
        return
    with transaction.atomic():
        checklist = checklist_create(
            owner=demo.educator, title=TITLE, outline=OUTLINE, expires_after_months=12,
            credit_type="ancc", hours=2,
            description="Joint Commission annual competencies for inpatient RNs: validated at "
                        "the bedside or in the skills lab by a preceptor or educator.",
            resources=RESOURCES)
        checklist_publish(checklist=checklist)
        for unit_name, people in UNITS.items():
            unit = Unit.objects.create(name=unit_name)
            UnitMembership.objects.create(unit=unit, user=_colleague(people["manager"]),
                                          is_manager=True)
            for name in people["nurses"]:
                UnitMembership.objects.create(unit=unit, user=_colleague(name))
            validator_authorise(checklist=checklist, user=demo.educator, unit=unit,
                                actor=demo.administrator)
        skills = list(Skill.objects.filter(section__version__checklist=checklist)
                      .order_by("section__position", "position"))
        _validate(demo, checklist, skills, "Jordan Ellis", days_ago=340)
        _validate(demo, checklist, skills, "Isaac Cohen", days_ago=300)
        _validate(demo, checklist, skills, "Chloe Martin", days_ago=12)
        _validate(demo, checklist, skills, "Victor Nguyen", days_ago=5, remediation=True)
        learner_checklist_open(checklist=checklist, learner=_colleague("Samuel Greene"))


def _validate(demo: Demo, checklist, skills: list[Skill], name: str, *, days_ago: int,
              remediation: bool = False) -> None:
    learner = _colleague(name)
    learner_checklist = learner_checklist_open(checklist=checklist, learner=learner,
                                               now=demo.ago(days=days_ago + 3))
    day = demo.today - datetime.timedelta(days=days_ago)
    for index, skill in enumerate(skills):
        self_assessment_record(learner_checklist=learner_checklist, skill=skill, level=3)
        needs_work = remediation and "transfusion reaction" in skill.title
        skill_validation_record(
            learner_checklist=learner_checklist, skill=skill, validator=demo.educator,
            status="needs_remediation" if needs_work else "validated",
            method=skill.methods[0], level=2 if needs_work else 3 + index % 2,
            validated_on=day,
            note=("Did not stop the transfusion before calling; review TM-05 and repeat in the "
                  "simulation lab" if needs_work else ""))
    learner_checklist.refresh_from_db()
    if learner_checklist.status == LearnerChecklist.Status.COMPLETED:
        checklist_record_issue_now(learner_checklist_id=learner_checklist.pk,
                                   now=demo.ago(days=days_ago, hours=-2))
