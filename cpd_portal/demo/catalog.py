"""The catalog: a hospital CME office's usual mix of upcoming activities (a weekly grand rounds
series, a simulation workshop, the nursing skills day, a pharmacy webinar, a workshop that needs
a director's approval, an online session on implicit bias) with their faculty, who disclosed
through the emailed link (two of them with a relationship, mitigated); and Dr Raman's places
in the grand rounds series and the simulation workshop.
"""
import datetime

from courses.credit_types import CreditType
from courses.models import Course, Disclosure

from .activities import ActivityPlan, FacultyPlan, SessionPlan, activity_ensure
from .context import Demo, Plan, PlannedAccount
from .learners import enrolled

OKAFOR = FacultyPlan("Adaeze Okafor", "MD", "aokafor@hospital.example")
CHEN = FacultyPlan("Michael Chen", "MD", "mchen@hospital.example",
                   relationships=(("AeroMed Airway Devices", "advisor"),),
                   not_relevant_to=("Medical Grand Rounds",))
ALVAREZ = FacultyPlan("Sofia Alvarez", "DO", "salvarez@hospital.example",
                      relationships=(("Cardiora Therapeutics", "consultant"),))
BRENNAN = FacultyPlan("Kathleen Brennan", "RN", "kbrennan@hospital.example")
PATEL = FacultyPlan("Nikhil Patel", "PharmD", "npatel@hospital.example")
GOLDBERG = FacultyPlan("Ruth Goldberg", "MD", "rgoldberg@hospital.example")
WASHINGTON = FacultyPlan("James Washington", "PhD", "jwashington@hospital.example")
FACULTY = (OKAFOR, CHEN, ALVAREZ, BRENNAN, PATEL, GOLDBERG, WASHINGTON)

GRAND_ROUNDS = "Medical Grand Rounds"
GRAND_ROUNDS_TOPICS = [
    "Sepsis bundles: what the new evidence changes",
    "Heart failure with preserved ejection fraction",
    "Diagnostic error in hospital medicine",
    "Anticoagulation around procedures",
    "Delirium prevention on the wards",
    "Hyponatremia: a practical approach",
    "Antimicrobial stewardship in 2026",
    "Caring for patients with limited English proficiency",
]
AIRWAY_WORKSHOP = "Simulation Workshop: Difficult Airway Management"
FACULTY_ROLE = Disclosure.Role.FACULTY
PLANNER_ROLE = Disclosure.Role.PLANNER


def _session(demo: Demo, day: int, start: tuple[int, int], end: tuple[int, int],
             **fields) -> SessionPlan:
    return SessionPlan(starts_at=demo.at(day, *start), ends_at=demo.at(day, *end), **fields)


def activities(demo: Demo) -> list[ActivityPlan]:
    first_rounds = demo.days_to_next(2) - 21  # Wednesdays, three of them already held
    speakers = [OKAFOR, CHEN, ALVAREZ, GOLDBERG]
    return [
        ActivityPlan(
            title=GRAND_ROUNDS,
            summary="Weekly grand rounds of the Department of Medicine: one clinical topic, "
                    "one expert, questions from the floor.",
            description="A regularly scheduled series for physicians, advanced practice "
                        "providers, nurses and pharmacists. Sessions are held in the Main "
                        "Auditorium and streamed online.",
            learning_objectives="Apply current evidence to the topic of each session\n"
                                "Identify one change to make in their own practice",
            format=Course.Format.RSS, specialties=("internal-medicine", "hospital-medicine"),
            designations=((CreditType.AMA_PRA_1, "1.00", ""),),
            sessions=tuple(
                _session(demo, first_rounds + 7 * week, (12, 0), (13, 0), title=title,
                         location="Main Auditorium, Ground Floor",
                         online_url="https://video.example.org/grand-rounds",
                         faculty=(speakers[week % 4],))
                for week, title in enumerate(GRAND_ROUNDS_TOPICS)),
            roster=((OKAFOR, FACULTY_ROLE), (CHEN, FACULTY_ROLE), (ALVAREZ, FACULTY_ROLE),
                    (GOLDBERG, PLANNER_ROLE))),
        ActivityPlan(
            title=AIRWAY_WORKSHOP,
            summary="Hands-on, high-fidelity simulation of difficult airway scenarios in "
                    "small teams. Limited to 12 participants.",
            description="Four hours in the Simulation Center: video laryngoscopy, "
                        "supraglottic devices and a surgical airway on task trainers, then "
                        "team scenarios with debriefing.",
            learning_objectives="Predict a difficult airway with a structured assessment\n"
                                "Choose a rescue device when intubation fails\n"
                                "Lead a team through a can't-intubate, can't-oxygenate "
                                "scenario",
            capacity=12, specialties=("emergency-medicine", "anesthesiology"),
            target_professions=("physician", "physician_assistant", "nurse"),
            designations=((CreditType.AMA_PRA_1, "4.00", ""), (CreditType.ANCC, "4.00", "")),
            sessions=(_session(demo, 18, (8, 0), (12, 0),
                               location="Simulation Center, Building C, 2nd floor",
                               faculty=(CHEN, BRENNAN)),),
            roster=((CHEN, FACULTY_ROLE), (BRENNAN, FACULTY_ROLE), (GOLDBERG, PLANNER_ROLE))),
        ActivityPlan(
            title="Nursing Skills Day",
            summary="The monthly skills day: central-line care, sepsis screening, restraint "
                    "policy and competency sign-off.",
            description="Rotating skills stations with return demonstration; bring your "
                        "competency checklist.",
            learning_objectives="Perform central-line dressing changes to policy\n"
                                "Apply the sepsis screening tool at triage and on the unit",
            capacity=40, specialties=("nursing",), topics=("patient-safety",),
            target_professions=("nurse",), designations=((CreditType.ANCC, "6.50", ""),),
            sessions=(_session(demo, 11, (8, 0), (15, 30),
                               location="Education Center, Rooms 1–4", faculty=(BRENNAN,)),),
            roster=((BRENNAN, FACULTY_ROLE),)),
        ActivityPlan(
            title="Pharmacy Update: Anticoagulation in Practice",
            summary="Direct oral anticoagulants, reversal agents and perioperative bridging, "
                    "for pharmacists.",
            description="A live webinar with cases from our anticoagulation service.",
            learning_objectives="Select a reversal agent for a bleeding patient on a DOAC\n"
                                "Plan perioperative interruption of anticoagulation",
            format=Course.Format.HYBRID, capacity=60, specialties=("pharmacy",),
            target_professions=("pharmacist",),
            designations=((CreditType.ACPE, "1.50", "0197-0000-26-031-L01-P"),),
            sessions=(_session(demo, 9, (17, 0), (18, 30),
                               location="Pharmacy Conference Room B",
                               online_url="https://video.example.org/pharmacy-update",
                               faculty=(PATEL,)),),
            roster=((PATEL, FACULTY_ROLE),)),
        ActivityPlan(
            title="Risk Management: Communication and Resolution after Adverse Events",
            summary="How to disclose an adverse event, apologise and resolve it, with the "
                    "hospital's claims office.",
            description="Interactive workshop on communication-and-resolution programs. "
                        "Places are reserved for clinical staff; a course director approves "
                        "each request.",
            learning_objectives="Disclose an adverse event using a structured approach\n"
                                "Explain how the communication-and-resolution program works",
            capacity=30, approval_required=True,
            specialties=("internal-medicine", "hospital-medicine"), topics=("risk-management",),
            designations=((CreditType.AMA_PRA_1, "2.00", ""), (CreditType.ANCC, "2.00", "")),
            sessions=(_session(demo, 25, (16, 0), (18, 0),
                               location="Board Room, Administration Building",
                               faculty=(GOLDBERG,)),),
            roster=((GOLDBERG, FACULTY_ROLE),)),
        ActivityPlan(
            title="Implicit Bias in Clinical Decision-Making",
            summary="Recognising and reducing implicit bias at the bedside; meets state "
                    "implicit bias training requirements.",
            description="A live online session with small-group discussion.",
            learning_objectives="Describe how implicit bias affects clinical decisions\n"
                                "Apply two strategies to reduce its effect",
            format=Course.Format.HYBRID, capacity=100,
            specialties=("internal-medicine", "nursing"), topics=("implicit-bias",),
            designations=((CreditType.AMA_PRA_1, "1.50", ""), (CreditType.IPCE, "1.50", "")),
            sessions=(_session(demo, 5, (12, 0), (13, 30),
                               online_url="https://video.example.org/bias",
                               faculty=(WASHINGTON,)),),
            roster=((WASHINGTON, FACULTY_ROLE), (GOLDBERG, PLANNER_ROLE))),
    ]


def plan(demo: Demo) -> Plan:
    return Plan(
        accounts=tuple(PlannedAccount(person.email, person.full_name, "Faculty contact", False)
                       for person in FACULTY),
        courses=tuple(activity.title for activity in activities(demo)))


def seed(demo: Demo) -> None:
    courses = {plan.title: activity_ensure(demo, plan) for plan in activities(demo)}
    # Dr Raman booked the series before its first session, and the workshop three weeks ago.
    first_rounds = courses[GRAND_ROUNDS].sessions.order_by("starts_at").first()
    enrolled(demo.clinician, courses[GRAND_ROUNDS],
             at=first_rounds.starts_at - datetime.timedelta(days=9))
    enrolled(demo.clinician, courses[AIRWAY_WORKSHOP], at=demo.ago(days=21))
