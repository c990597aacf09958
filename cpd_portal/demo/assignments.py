"""Assigned learning and the CME office's dashboard: the online module *Infection Prevention and
Control: Annual Update* (four lessons, a six-question post-test), assigned a month ago to every
clinician as annual required training due in two weeks (half the colleagues have done it; Dr
Raman has not); and opioid education, assigned six weeks ago to everyone with a Massachusetts
licence and due five weeks after assignment: nine physicians have done it, the rest are overdue
(Dr Raman among them, three lessons in), and three residents who started this month, assigned
by the nightly sweep when their licence was recorded, still have time.
"""
import datetime
import random

from accounts.roles import Role
from courses.credit_types import CreditType
from courses.models import Course
from credits.assignments.models import Assignment
from credits.assignments.services import (
    assignment_completions_record,
    assignment_create,
    assignment_members_sync,
)

from . import online
from .activities import ActivityPlan, PostTestPlan, activity_ensure, activity_find, content_add
from .context import Demo, Plan, PlannedAccount
from .learners import module_completed
from .people import colleague, person_ensure

TITLE = "Infection Prevention and Control: Annual Update"
CDC_ISOLATION = ("Siegel JD, et al. 2007 Guideline for Isolation Precautions: Preventing "
                 "Transmission of Infectious Agents in Healthcare Settings. CDC/HICPAC, "
                 "updated 2023.")
WHO_HH = "WHO Guidelines on Hand Hygiene in Health Care, 2009 (My 5 Moments for Hand Hygiene)."

LESSONS = [
    ("Hand hygiene: the five moments", 5, """
Hand hygiene is the single most effective way to prevent healthcare-associated infection.
Clean your hands at each of the **five moments**:

1. before touching a patient,
2. before a clean or aseptic procedure,
3. after body-fluid exposure risk,
4. after touching a patient,
5. after touching the patient's surroundings.

Use **alcohol-based hand rub** unless hands are visibly soiled or the patient has
*C. difficile* or norovirus: then wash with soap and water (alcohol does not kill spores).
"""),
    ("Standard and transmission-based precautions", 6, """
**Standard precautions** apply to every patient: hand hygiene, gloves for contact with blood
or body fluids, eye protection when splashes are likely, safe injection practice.

| Precaution | For | Wear |
| --- | --- | --- |
| Contact | MRSA, VRE, *C. difficile*, scabies | Gown and gloves |
| Droplet | Influenza, pertussis, meningococcus | Surgical mask within 2 m |
| Airborne | Tuberculosis, measles, varicella | N95 respirator, negative-pressure room |

Put personal protective equipment on before entering the room; take gloves and gown off
before leaving it, and clean your hands straight after.
"""),
    ("Preventing line and catheter infections", 5, """
Central-line bundles cut bloodstream infections by more than half. At every line:

- clean hands and scrub the hub for 15 seconds with chlorhexidine-alcohol, let it dry;
- change transparent dressings every 7 days, gauze every 2 days, or sooner if soiled;
- **ask every day whether the line (or urinary catheter) is still needed**.

A urinary catheter is for retention, strict output monitoring in critical illness or
peri-operative use, not for convenience.
"""),
    ("Sharps injuries and exposure to blood", 4, """
After a needlestick or splash: wash the area with soap and water (eyes: irrigate with water),
**report it at once** to Occupational Health or the emergency department, and do not wait
for the end of the shift. HIV post-exposure prophylaxis works best within 2 hours.

Never recap a used needle; activate the safety device and drop it into a sharps container
that is less than three-quarters full.
"""),
]

QUESTIONS = [
    ("single", "A patient has C. difficile diarrhoea. How should you clean your hands after "
     "leaving the room?",
     [("Alcohol-based hand rub", False), ("Soap and water", True),
      ("Chlorhexidine wipes", False), ("Gloves are enough", False)],
     "Alcohol does not kill C. difficile spores: wash with soap and water.", CDC_ISOLATION),
    ("single", "Which precautions does a patient with suspected pulmonary tuberculosis need?",
     [("Contact", False), ("Droplet", False), ("Airborne", True), ("Standard only", False)],
     "TB is airborne: an N95 respirator and a negative-pressure room.", CDC_ISOLATION),
    ("multiple", "Which are among the WHO five moments for hand hygiene? Choose all that apply.",
     [("Before touching a patient", True), ("After touching the patient's surroundings", True),
      ("Before a clean or aseptic procedure", True), ("Before charting", False)],
     "Charting is not one of the five moments; the other three are.", WHO_HH),
    ("single", "How long should you scrub a central-line hub before accessing it?",
     [("2 seconds", False), ("15 seconds", True), ("2 minutes", False), ("No scrub needed",
                                                                        False)],
     "A 15-second scrub with chlorhexidine-alcohol, then let it dry.", CDC_ISOLATION),
    ("single", "You sustain a needlestick from an HIV-positive patient. When is post-exposure "
     "prophylaxis most effective?",
     [("Within 2 hours", True), ("Within 7 days", False), ("After the first test result",
                                                           False),
      ("At the end of the shift", False)],
     "Start PEP as soon as possible, ideally within 2 hours: report the injury at once.",
     "US PHS Guidelines for occupational exposures to HIV, 2013 (updated 2018)."),
    ("single", "When do you remove gown and gloves after caring for a patient on contact "
     "precautions?",
     [("Before leaving the room", True), ("At the nurses' station", False),
      ("At the end of the shift", False), ("When visibly soiled only", False)],
     "Take them off inside the room and clean your hands, so you do not carry organisms out.",
     CDC_ISOLATION),
]

NEW_RESIDENTS = tuple(colleague(40 + index, name, "MD", "physician", "Internal medicine", True,
                                joined_days_ago=12)
                      for index, name in enumerate(["Tomas Herrera", "Yuki Sato",
                                                    "Abena Owusu"]))
OPIOID_ASSIGNMENT = "Opioid education for Massachusetts prescribers"
OPIOID_DONE = 9  # physicians who completed the opioid module


def activity(demo: Demo) -> ActivityPlan:
    released = demo.today - datetime.timedelta(days=300)
    return ActivityPlan(
        title=TITLE,
        summary="The hospital's annual required infection-control module: hand hygiene, "
                "isolation precautions, line care and sharps injuries, in 20 minutes.",
        description="Self-paced enduring material: four short lessons and a six-question "
                    "post-test. Required every year for everyone with patient contact.",
        learning_objectives="Clean hands at the five moments with the right method\n"
                            "Choose contact, droplet or airborne precautions\n"
                            "Act at once after a sharps injury",
        format=Course.Format.ENDURING, evaluation_required=False,
        designations=((CreditType.AMA_PRA_1, "0.50", ""), (CreditType.ANCC, "0.50", "")),
        release_date=released, termination_date=released + datetime.timedelta(days=1000))


def plan(demo: Demo) -> Plan:
    return Plan(accounts=tuple(PlannedAccount(person.email, person.full_name, person.role,
                                              False) for person in NEW_RESIDENTS),
                courses=(TITLE,),
                notes=("Assigns the infection-control module to every clinician and opioid "
                       "education to everyone with a Massachusetts licence: on a portal with "
                       "real people, they are assigned too.",))


def _infection_control(demo: Demo, rng: random.Random) -> None:
    course = activity_ensure(demo, activity(demo), content=lambda course: content_add(
        course, editor=demo.educator, lessons=LESSONS, questions=QUESTIONS,
        post_test=PostTestPlan(passing_percent=80, max_attempts=None)))
    # Half the colleagues did this year's module, one to five months ago.
    for index, user in enumerate(demo.colleagues[::2]):
        module_completed(user, course, started=demo.ago(days=10 + index * 37 % 150, hours=5),
                         rng=rng)
    if not Assignment.objects.filter(course=course).exists():
        year = demo.today.year
        assignment_create(created_by=demo.administrator, course=course,
                          title=f"Annual infection control {year}–{(year + 1) % 100:02d}",
                          target=Assignment.Target.ROLE, target_value=Role.CLINICIAN,
                          due=Assignment.Due.FIXED,
                          due_on=demo.today + datetime.timedelta(days=14),
                          recurrence=Assignment.Recurrence.ANNUAL,
                          today=demo.today - datetime.timedelta(days=30))


def _opioid_education(demo: Demo, rng: random.Random) -> None:
    course = activity_find(demo, online.TITLE)
    physicians = [user for user in demo.colleagues if user.profession == "physician"]
    for index, user in enumerate(physicians[:OPIOID_DONE]):
        module_completed(user, course, started=demo.ago(days=5 + index * 13 % 40, hours=3),
                         rng=rng)
    assignment = Assignment.objects.filter(course=course).first()
    if assignment is None:
        assignment = assignment_create(
            created_by=demo.administrator, course=course, title=OPIOID_ASSIGNMENT,
            target=Assignment.Target.LICENCE_STATE, target_value="MA",
            due=Assignment.Due.AFTER, due_days=35,
            today=demo.today - datetime.timedelta(days=42))
    for person in NEW_RESIDENTS:
        person_ensure(demo, person)
    assignment_members_sync(assignment=assignment, today=demo.today - datetime.timedelta(days=10))


def seed(demo: Demo) -> None:
    rng = random.Random(2027)
    _infection_control(demo, rng)
    _opioid_education(demo, rng)
    assignment_completions_record()
