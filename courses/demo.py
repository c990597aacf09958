"""Demo catalog for `manage.py seed_demo`: a hospital CME office's usual mix of activities.

Idempotent: courses are keyed on their slug, faculty on their name, and each course's sessions
are updated in place (by position), so running it again moves dates to stay relative to today
without adding rows.
"""
import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from courses.credit_types import CreditType
from courses.disclosures.models import FinancialDisclosure, FinancialRelationship, Mitigation
from courses.disclosures.models import valid_until as disclosure_valid_until
from courses.disclosures.selectors import current_disclosure
from courses.models import (
    Course,
    CreditDesignation,
    Disclosure,
    Enrolment,
    Faculty,
    Session,
    Specialty,
    Topic,
)
from courses.services.search import course_search_index_update

OFFICE_ZONE = zoneinfo.ZoneInfo("America/New_York")

SPECIALTIES = [
    ("internal-medicine", "Internal medicine"),
    ("emergency-medicine", "Emergency medicine"),
    ("hospital-medicine", "Hospital medicine"),
    ("nursing", "Nursing"),
    ("pharmacy", "Pharmacy"),
    ("anesthesiology", "Anesthesiology"),
]

FACULTY = {
    "okafor": {"full_name": "Adaeze Okafor", "degree": "MD", "email": "aokafor@hospital.example"},
    "chen": {"full_name": "Michael Chen", "degree": "MD", "email": "mchen@hospital.example"},
    "alvarez": {"full_name": "Sofia Alvarez", "degree": "DO",
                "email": "salvarez@hospital.example"},
    "brennan": {"full_name": "Kathleen Brennan", "degree": "RN",
                "email": "kbrennan@hospital.example"},
    "patel": {"full_name": "Nikhil Patel", "degree": "PharmD",
              "email": "npatel@hospital.example"},
    "goldberg": {"full_name": "Ruth Goldberg", "degree": "MD",
                 "email": "rgoldberg@hospital.example"},
    "washington": {"full_name": "James Washington", "degree": "PhD",
                   "email": "jwashington@hospital.example"},
}

# Each person's signed self-disclosure (everyone else attested to none): company, nature.
FACULTY_RELATIONSHIPS = {
    "alvarez": [("Cardiora Therapeutics", "consultant")],
    "chen": [("AeroMed Airway Devices", "advisor")],
}
# Relationships the course director judged not relevant to an activity's content; every
# other one was mitigated by peer review of the content.
NOT_RELEVANT = {("medical-grand-rounds", "chen")}
DISCLOSURES_SIGNED_DAYS_AGO = 60


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A wall-clock time in the office's zone, `day_offset` days from today."""
    today = timezone.now().astimezone(OFFICE_ZONE).date()
    day = today + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OFFICE_ZONE)


def _weekly(first_offset: int, count: int, hour: int, minute: int, minutes: int):
    return [(_at(first_offset + 7 * week, hour, minute),
             _at(first_offset + 7 * week, hour, minute) + datetime.timedelta(minutes=minutes))
            for week in range(count)]


def _next_weekday(weekday: int) -> int:
    """Days from today to the next given weekday (Monday is 0), today excluded."""
    today = timezone.now().astimezone(OFFICE_ZONE).date()
    return (weekday - today.weekday() - 1) % 7 + 1


def _disclosures_sync(faculty: dict[str, Faculty]) -> None:
    """A current signed disclosure for each demo person (kept when one is still current)."""
    signed_at = timezone.now() - datetime.timedelta(days=DISCLOSURES_SIGNED_DAYS_AGO)
    for key, person in faculty.items():
        if current_disclosure(person, on=timezone.localdate()) is not None:
            continue
        relationships = FACULTY_RELATIONSHIPS.get(key, [])
        disclosure = FinancialDisclosure.objects.create(
            person=person, none_to_disclose=not relationships, signature=person.full_name,
            signed_at=signed_at, signed_on=timezone.localdate(signed_at),
            valid_until=disclosure_valid_until(timezone.localdate(signed_at)))
        for company, nature in relationships:
            FinancialRelationship.objects.create(disclosure=disclosure, company=company,
                                                 nature=nature)


def _mitigations_sync(course: Course, spec: dict, faculty: dict[str, Faculty], *,
                      reviewer) -> None:
    keys = {key for key, _, _ in spec["disclosures"]}
    keys |= {key for session in spec["sessions"] for key in session["faculty"]}
    for key in keys:
        disclosure = current_disclosure(faculty[key], on=timezone.localdate())
        relevant = (spec["slug"], key) not in NOT_RELEVANT
        for relationship in disclosure.relationships.all():
            Mitigation.objects.get_or_create(course=course, relationship=relationship, defaults={
                "relevant": relevant,
                "step": Mitigation.Step.PEER_REVIEW if relevant else Mitigation.Step.NOT_RELEVANT,
                "reviewer": reviewer, "decided_at": timezone.now()})


def _courses() -> list[dict]:
    wednesday = _next_weekday(2)
    grand_rounds_topics = [
        "Sepsis bundles: what the new evidence changes",
        "Heart failure with preserved ejection fraction",
        "Diagnostic error in hospital medicine",
        "Anticoagulation around procedures",
        "Delirium prevention on the wards",
        "Hyponatremia: a practical approach",
        "Antimicrobial stewardship in 2026",
        "Caring for patients with limited English proficiency",
    ]
    return [
        {
            "slug": "medical-grand-rounds",
            "title": "Medical Grand Rounds",
            "summary": "Weekly grand rounds of the Department of Medicine: one clinical topic, "
                       "one expert, questions from the floor.",
            "description": "A regularly scheduled series for physicians, advanced practice "
                           "providers, nurses and pharmacists. Sessions are held in the Main "
                           "Auditorium and streamed online.",
            "learning_objectives": "Apply current evidence to the topic of each session\n"
                                   "Identify one change to make in their own practice",
            "format": Course.Format.RSS, "capacity": None, "approval_required": False,
            "specialties": ["internal-medicine", "hospital-medicine"], "topics": [],
            "target_professions": [],
            "designations": [(CreditType.AMA_PRA_1, "1.00", "")],
            "sessions": [
                {"title": title, "starts_at": start, "ends_at": end,
                 "location": "Main Auditorium, Ground Floor",
                 "online_url": "https://video.example.org/grand-rounds",
                 "faculty": [["okafor", "chen", "alvarez", "goldberg"][i % 4]]}
                for i, (title, (start, end)) in enumerate(zip(
                    grand_rounds_topics, _weekly(wednesday - 21, 8, 12, 0, 60), strict=True))
            ],
            "disclosures": [("okafor", "faculty", None), ("chen", "faculty", None),
                            ("alvarez", "faculty", None),
                            ("goldberg", "planner", None)],
        },
        {
            "slug": "simulation-airway-workshop",
            "title": "Simulation Workshop: Difficult Airway Management",
            "summary": "Hands-on, high-fidelity simulation of difficult airway scenarios in "
                       "small teams. Limited to 12 participants.",
            "description": "Four hours in the Simulation Center: video laryngoscopy, "
                           "supraglottic devices and a surgical airway on task trainers, then "
                           "team scenarios with debriefing.",
            "learning_objectives": "Predict a difficult airway with a structured assessment\n"
                                   "Choose a rescue device when intubation fails\n"
                                   "Lead a team through a can't-intubate, can't-oxygenate "
                                   "scenario",
            "format": Course.Format.LIVE, "capacity": 12, "approval_required": False,
            "specialties": ["emergency-medicine", "anesthesiology"], "topics": [],
            "target_professions": ["physician", "physician_assistant", "nurse"],
            "designations": [(CreditType.AMA_PRA_1, "4.00", ""), (CreditType.ANCC, "4.00", "")],
            "sessions": [{"title": "", "starts_at": _at(18, 8), "ends_at": _at(18, 12),
                          "location": "Simulation Center, Building C, 2nd floor",
                          "online_url": "", "faculty": ["chen", "brennan"]}],
            "disclosures": [("chen", "faculty", None),
                            ("brennan", "faculty", None), ("goldberg", "planner", None)],
        },
        {
            "slug": "safe-opioid-prescribing",
            "title": "Safe Opioid Prescribing and Pain Management",
            "summary": "An online module on assessing pain, prescribing opioids safely, "
                       "tapering and recognising opioid use disorder.",
            "description": "Self-paced enduring material: five short lessons and a "
                           "10-question post-test. "
                           "Meets the opioid education requirement of many state boards.",
            "learning_objectives": "Assess the risks and benefits of opioid therapy\n"
                                   "Use the prescription monitoring program before prescribing\n"
                                   "Taper opioids safely and offer naloxone",
            "format": Course.Format.ENDURING, "capacity": None, "approval_required": False,
            "specialties": ["internal-medicine", "emergency-medicine"],
            "topics": ["opioid-pain-management"], "target_professions": [],
            "designations": [(CreditType.AMA_PRA_1, "2.00", "")],
            "sessions": [],
            "disclosures": [("okafor", "faculty", None), ("patel", "reviewer", None)],
        },
        {
            "slug": "nursing-skills-day",
            "title": "Nursing Skills Day",
            "summary": "The monthly skills day: central-line care, sepsis screening, "
                       "restraint policy and competency sign-off.",
            "description": "Rotating skills stations with return demonstration; bring your "
                           "competency checklist.",
            "learning_objectives": "Perform central-line dressing changes to policy\n"
                                   "Apply the sepsis screening tool at triage and on the unit",
            "format": Course.Format.LIVE, "capacity": 40, "approval_required": False,
            "specialties": ["nursing"], "topics": ["patient-safety"],
            "target_professions": ["nurse"],
            "designations": [(CreditType.ANCC, "6.50", "")],
            "sessions": [{"title": "", "starts_at": _at(11, 8), "ends_at": _at(11, 15, 30),
                          "location": "Education Center, Rooms 1–4", "online_url": "",
                          "faculty": ["brennan"]}],
            "disclosures": [("brennan", "faculty", None)],
        },
        {
            "slug": "pharmacy-update-anticoagulation",
            "title": "Pharmacy Update: Anticoagulation in Practice",
            "summary": "Direct oral anticoagulants, reversal agents and perioperative "
                       "bridging, for pharmacists.",
            "description": "A live webinar with cases from our anticoagulation service.",
            "learning_objectives": "Select a reversal agent for a bleeding patient on a DOAC\n"
                                   "Plan perioperative interruption of anticoagulation",
            "format": Course.Format.HYBRID, "capacity": 60, "approval_required": False,
            "specialties": ["pharmacy"], "topics": [],
            "target_professions": ["pharmacist"],
            "designations": [(CreditType.ACPE, "1.50", "0000-9999-26-001-L01-P")],
            "sessions": [{"title": "", "starts_at": _at(9, 17), "ends_at": _at(9, 18, 30),
                          "location": "Pharmacy Conference Room B",
                          "online_url": "https://video.example.org/pharmacy-update",
                          "faculty": ["patel"]}],
            "disclosures": [("patel", "faculty", None)],
        },
        {
            "slug": "risk-management-communication",
            "title": "Risk Management: Communication and Resolution after Adverse Events",
            "summary": "How to disclose an adverse event, apologise and resolve it, with the "
                       "hospital's claims office.",
            "description": "Interactive workshop on communication-and-resolution programs. "
                           "Places are reserved for clinical staff; a course director approves "
                           "each request.",
            "learning_objectives": "Disclose an adverse event using a structured approach\n"
                                   "Explain how the communication-and-resolution program works",
            "format": Course.Format.LIVE, "capacity": 30, "approval_required": True,
            "specialties": ["internal-medicine", "hospital-medicine"],
            "topics": ["risk-management"], "target_professions": [],
            "designations": [(CreditType.AMA_PRA_1, "2.00", ""), (CreditType.ANCC, "2.00", "")],
            "sessions": [{"title": "", "starts_at": _at(25, 16), "ends_at": _at(25, 18),
                          "location": "Board Room, Administration Building", "online_url": "",
                          "faculty": ["goldberg"]}],
            "disclosures": [("goldberg", "faculty", None)],
        },
        {
            "slug": "implicit-bias-clinical-decisions",
            "title": "Implicit Bias in Clinical Decision-Making",
            "summary": "Recognising and reducing implicit bias at the bedside; meets state "
                       "implicit bias training requirements.",
            "description": "A live online session with small-group discussion.",
            "learning_objectives": "Describe how implicit bias affects clinical decisions\n"
                                   "Apply two strategies to reduce its effect",
            "format": Course.Format.HYBRID, "capacity": 100, "approval_required": False,
            "specialties": ["internal-medicine", "nursing"], "topics": ["implicit-bias"],
            "target_professions": [],
            "designations": [(CreditType.AMA_PRA_1, "1.50", ""), (CreditType.IPCE, "1.50", "")],
            "sessions": [{"title": "", "starts_at": _at(5, 12), "ends_at": _at(5, 13, 30),
                          "location": "", "online_url": "https://video.example.org/bias",
                          "faculty": ["washington"]}],
            "disclosures": [("washington", "faculty", None), ("goldberg", "planner", None)],
        },
    ]


def _sessions_sync(course: Course, specs: list[dict], faculty: dict[str, Faculty]) -> None:
    existing = list(course.sessions.order_by("pk"))
    for index, spec in enumerate(specs):
        fields = {key: spec[key] for key in ("title", "starts_at", "ends_at", "location",
                                             "online_url")}
        if index < len(existing):
            session = existing[index]
            for key, value in fields.items():
                setattr(session, key, value)
            session.save()
        else:
            session = Session.objects.create(course=course, **fields)
        session.faculty.set([faculty[key] for key in spec["faculty"]])


def seed(people: dict) -> None:
    educator, clinician = people["Educator"], people["Clinician"]
    specialties = {slug: Specialty.objects.update_or_create(slug=slug, defaults={"name": name})[0]
                   for slug, name in SPECIALTIES}
    faculty = {key: Faculty.objects.update_or_create(full_name=fields["full_name"],
                                                     defaults=fields)[0]
               for key, fields in FACULTY.items()}
    _disclosures_sync(faculty)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    courses = {}
    for spec in _courses():
        course, _ = Course.objects.update_or_create(slug=spec["slug"], defaults={
            key: spec[key] for key in ("title", "summary", "description", "learning_objectives",
                                       "format", "capacity", "approval_required",
                                       "target_professions")
        } | {"status": Course.Status.PUBLISHED,
             "published_at": timezone.now() - datetime.timedelta(days=30)})
        course.directors.add(educator)
        course.specialties.set([specialties[slug] for slug in spec["specialties"]])
        course.topics.set([topics[slug] for slug in spec["topics"]])
        for credit_type, amount, uan in spec["designations"]:
            CreditDesignation.objects.update_or_create(
                course=course, credit_type=credit_type,
                defaults={"max_credits": Decimal(amount), "acpe_uan": uan})
        _sessions_sync(course, spec["sessions"], faculty)
        for key, role, _ in spec["disclosures"]:
            Disclosure.objects.update_or_create(course=course, faculty=faculty[key], role=role)
        _mitigations_sync(course, spec, faculty, reviewer=educator)
        courses[spec["slug"]] = course
    course_search_index_update(course_ids=[course.pk for course in courses.values()])

    for slug in ("medical-grand-rounds", "simulation-airway-workshop"):
        if not Enrolment.objects.filter(user=clinician, course=courses[slug],
                                        status__in=Enrolment.ACTIVE_STATUSES).exists():
            Enrolment.objects.create(user=clinician, course=courses[slug],
                                     status=Enrolment.Status.ENROLLED)
