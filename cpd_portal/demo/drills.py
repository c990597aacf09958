"""The practice drill *Recognising Sepsis Early*: twelve single-best-answer questions with
rationales and references, and Dr Raman two and a half weeks in: her past weekday mornings
replayed through the drill's own scan and answer services at their moments (two answers wrong,
which came back the next morning), and this morning's questions waiting for her.
"""
import datetime
import zoneinfo

from django.utils import timezone

from courses.credit_types import CreditType
from courses.models import Course
from courses.questions.models import QuestionOption
from credits.drills.models import DrillDelivery, DrillEnrolment
from credits.drills.services import drill_answer_record, drill_deliveries_scan, drill_join

from .activities import ActivityPlan, activity_ensure, activity_find, content_add
from .context import Demo, Plan

TITLE = "Recognising Sepsis Early"
SSC_2021 = ("Evans L, et al. Surviving Sepsis Campaign: International Guidelines for Management "
            "of Sepsis and Septic Shock 2021. Crit Care Med 2021;49(11):e1063–e1143.")
SEPSIS_3 = ("Singer M, et al. The Third International Consensus Definitions for Sepsis and "
            "Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810.")
SEP_1 = "CMS. Severe Sepsis and Septic Shock: Management Bundle (SEP-1), specifications v5.15."

# (stem, [(option, correct)], rationale, reference)
QUESTIONS = [
    ("A 68-year-old on the ward with pneumonia has a respiratory rate of 24/min, systolic "
     "blood pressure 96 mmHg and is newly confused. Which bedside score flags her as at risk "
     "of a poor outcome from sepsis?",
     [("qSOFA 3 (all three criteria met)", True), ("qSOFA 1", False),
      ("SIRS 1", False), ("A normal NEWS2, so no score is raised", False)],
     "qSOFA gives one point each for respiratory rate ≥ 22/min, altered mentation and systolic "
     "pressure ≤ 100 mmHg. She meets all three. qSOFA is not a diagnostic test, and the 2021 "
     "guideline advises against using it alone as a screening tool, but a positive result "
     "should prompt a full assessment for sepsis now.", SEPSIS_3),
    ("Under Sepsis-3, what defines sepsis?",
     [("Life-threatening organ dysfunction caused by a dysregulated host response to "
       "infection", True),
      ("Two or more SIRS criteria with a suspected infection", False),
      ("A positive blood culture with fever", False),
      ("A lactate above 4 mmol/L", False)],
     "Sepsis-3 replaced the SIRS-based definition: sepsis is infection with organ dysfunction, "
     "identified clinically by an acute rise of 2 or more points in the SOFA score.", SEPSIS_3),
    ("Which finding, together with vasopressors needed to keep MAP ≥ 65 mmHg after adequate "
     "fluids, defines septic shock?",
     [("Serum lactate > 2 mmol/L", True), ("Temperature > 38.3 °C", False),
      ("White cell count > 12 × 10⁹/L", False), ("Heart rate > 90/min", False)],
     "Septic shock is sepsis with persisting hypotension requiring vasopressors to maintain "
     "MAP ≥ 65 mmHg and a lactate > 2 mmol/L despite adequate volume resuscitation; hospital "
     "mortality exceeds 40%.", SEPSIS_3),
    ("A patient with probable septic shock arrives in the emergency department. By when "
     "should antimicrobials be given?",
     [("Immediately, ideally within 1 hour of recognition", True),
      ("Within 3 hours, after imaging confirms the source", False),
      ("Once the blood culture results are back", False),
      ("Within 6 hours, after the infectious diseases consult", False)],
     "For probable septic shock, or sepsis with high likelihood, the guideline recommends "
     "antimicrobials immediately, ideally within one hour. Each hour of delay in shock is "
     "associated with higher mortality.", SSC_2021),
    ("Possible sepsis without shock: the source is unclear and the patient is stable. What "
     "does the 2021 guideline suggest?",
     [("A rapid assessment, and antimicrobials within 3 hours if concern for infection "
       "persists", True),
      ("Antimicrobials within 1 hour in every case", False),
      ("Wait 24 hours for cultures before deciding", False),
      ("Start vasopressors first", False)],
     "For possible sepsis without shock, a time-limited course of rapid investigation is "
     "suggested, giving antimicrobials within 3 hours of recognition if concern persists; this "
     "avoids needless broad-spectrum antibiotics in patients who turn out not to be "
     "infected.", SSC_2021),
    ("When should blood cultures be drawn in suspected sepsis?",
     [("Before antimicrobials, as long as this does not delay them", True),
      ("Only if the temperature is above 39 °C", False),
      ("After the first antibiotic dose, to avoid delay", False),
      ("Only if the lactate is raised", False)],
     "Take at least two sets of blood cultures (aerobic and anaerobic) before antimicrobials "
     "when this causes no substantial delay; cultures after antibiotics are much less likely "
     "to grow the organism.", SSC_2021),
    ("A 72 kg patient has sepsis-induced hypotension. What initial fluid resuscitation is "
     "suggested?",
     [("At least 30 mL/kg of IV crystalloid (about 2.2 L) within the first 3 hours", True),
      ("500 mL of 5% albumin only", False),
      ("1 L of 5% dextrose", False),
      ("No fluids until a central line is placed", False)],
     "The guideline suggests at least 30 mL/kg of IV crystalloid in the first 3 hours for "
     "sepsis-induced hypoperfusion or septic shock, with frequent reassessment of the response. "
     "Balanced crystalloids are suggested over normal saline.", SSC_2021),
    ("Which vasopressor is first line in septic shock?",
     [("Norepinephrine", True), ("Dopamine", False), ("Phenylephrine", False),
      ("Epinephrine", False)],
     "Norepinephrine is recommended first line. Vasopressin is added (rather than escalating "
     "norepinephrine) when MAP stays inadequate at 0.25–0.5 µg/kg/min. Dopamine causes more "
     "arrhythmias.", SSC_2021),
    ("What initial mean arterial pressure target is recommended for adults in septic shock "
     "on vasopressors?",
     [("65 mmHg", True), ("55 mmHg", False), ("80–85 mmHg", False), ("100 mmHg", False)],
     "An initial MAP target of 65 mmHg is recommended over higher targets; higher targets did "
     "not improve survival and increased arrhythmias.", SSC_2021),
    ("The initial lactate was 3.4 mmol/L. Under the SEP-1 bundle, what is required next?",
     [("A repeat lactate within 6 hours of presentation", True),
      ("No repeat: one lactate is enough", False),
      ("A repeat only if the patient becomes hypotensive", False),
      ("An arterial blood gas every hour", False)],
     "SEP-1 requires a repeat lactate when the initial lactate is above 2 mmol/L. The guideline "
     "suggests guiding resuscitation to decrease lactate, and using capillary refill time as "
     "an adjunct.", SEP_1),
    ("A night-shift nurse finds a post-operative patient with a new heart rate of 118/min, "
     "respiratory rate 26/min and mottled knees. What is the most important next step?",
     [("Escalate now to the rapid response team or covering physician for a sepsis "
       "assessment", True),
      ("Recheck the observations at the next scheduled round in 4 hours", False),
      ("Give paracetamol and reassess in an hour", False),
      ("Document the findings for the day team", False)],
     "New tachycardia, tachypnoea and mottling are signs of hypoperfusion. Early recognition and "
     "escalation are what the hospital's sepsis screening tool exists for; most deaths from "
     "sepsis follow delayed recognition on the ward.", SSC_2021),
    ("Which antimicrobial strategy fits an adult with septic shock and a high risk of MRSA?",
     [("Empiric broad-spectrum cover including an agent active against MRSA", True),
      ("A single narrow-spectrum agent until cultures return", False),
      ("Antifungals alone", False),
      ("Hold antibiotics until the source is drained", False)],
     "Use empiric antimicrobials with MRSA cover for patients at high risk of MRSA, then "
     "reassess daily for de-escalation once the organism and sensitivities are known.",
     SSC_2021),
]
# Question positions Dr Raman answered wrong the first time (they came back the next morning).
MISSED_ONCE = {3, 7}
# Weekday mornings replayed: a fixed number, so Dr Raman is mid-drill (not yet done, which would
# put an evaluation on her to-do list) whatever day of the week the demo is seeded.
REPLAYED_MORNINGS = 12


def activity(demo: Demo) -> ActivityPlan:
    released = demo.today - datetime.timedelta(days=40)
    return ActivityPlan(
        title=TITLE,
        summary="A practice drill: two short sepsis questions every weekday morning by email, "
                "spaced until you have them for good.",
        description="Spaced-education drill on recognising and treating sepsis on the ward and "
                    "in the emergency department, built on the Surviving Sepsis Campaign 2021 "
                    "guideline and the hospital's SEP-1 bundle.",
        learning_objectives="Recognise sepsis and septic shock using Sepsis-3 criteria\n"
                            "Escalate early and start the hour-1 bundle\n"
                            "Choose fluids, vasopressors and targets in septic shock",
        format=Course.Format.DRILL,
        designations=((CreditType.AMA_PRA_1, "1.00", ""), (CreditType.ANCC, "1.00", "")),
        release_date=released, termination_date=released + datetime.timedelta(days=730))


def plan(demo: Demo) -> Plan:
    return Plan(courses=(TITLE,))


def _weekdays_before(today: datetime.date, count: int) -> list[datetime.date]:
    """The `count` weekdays before today, oldest first."""
    days, day = [], today
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def _at(zone: zoneinfo.ZoneInfo, day: datetime.date, hour: int, minute: int = 0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _mornings_replayed(demo: Demo, course: Course) -> None:
    """Dr Raman's past weekday mornings: the 07:05 scan, her answer at 07:40 (by email two
    mornings in three, on the site the third)."""
    clinician = demo.clinician
    zone = zoneinfo.ZoneInfo(clinician.time_zone)
    mornings = _weekdays_before(timezone.localdate(demo.now, zone), REPLAYED_MORNINGS)
    drill_join(user=clinician, course=course, now=_at(zone, mornings[0], 6))
    missed = set()
    for offset, day in enumerate(mornings):
        drill_deliveries_scan(now=_at(zone, day, 7, 5), course_ids=[course.pk])
        for delivery in (DrillDelivery.objects.filter(enrolment__user=clinician,
                                                      delivered_on=day)
                         .select_related("question")):
            position = delivery.question.position
            wrong = position in MISSED_ONCE and position not in missed
            if wrong:
                missed.add(position)
            option = (QuestionOption.objects.filter(question=delivery.question,
                                                    is_correct=not wrong).order_by("position")
                      .first())
            drill_answer_record(delivery=delivery, user=clinician, option=option,
                                channel="email" if offset % 3 else "site",
                                now=_at(zone, day, 7, 40))


def seed(demo: Demo) -> None:
    course = activity_ensure(demo, activity(demo), content=lambda course: content_add(
        course, editor=demo.educator,
        questions=[("single", *question) for question in QUESTIONS]))
    if not DrillEnrolment.objects.filter(user=demo.clinician, course=course).exists():
        _mornings_replayed(demo, course)


def today(demo: Demo) -> None:
    """This morning's questions wait on the site and go out by email with the workers; before
    07:05 the beat's tick delivers them as on any morning."""
    zone = zoneinfo.ZoneInfo(demo.clinician.time_zone)
    morning = _at(zone, timezone.localdate(demo.now, zone), 7, 5)
    if morning.weekday() < 5 and demo.now >= morning:
        drill_deliveries_scan(now=morning, course_ids=[activity_find(demo, TITLE).pk])
