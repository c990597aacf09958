"""The online activity *Safe Opioid Prescribing and Pain Management*: five short lessons (a
workflow diagram drawn with Pillow, an MME reference sheet made with WeasyPrint, both uploaded as
a director uploads them), a 10-question post-test with rationales, and Dr Raman three lessons
in, so My learning shows Continue.
"""
import datetime
import io

from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

from courses.credit_types import CreditType
from courses.models import Course
from courses.services.review import enduring_latest_termination
from credits.online.models import ModuleProgress
from credits.online.services import module_start

from .activities import ActivityPlan, Attachment, PostTestPlan, activity_ensure, content_add
from .catalog import OKAFOR, PATEL
from .context import Demo, Plan
from .learners import lessons_read

TITLE = "Safe Opioid Prescribing and Pain Management"
CDC_2022 = ("Dowell D, et al. CDC Clinical Practice Guideline for Prescribing Opioids for Pain — "
            "United States, 2022. MMWR Recomm Rep 2022;71(3):1–95.")
DSM5 = "American Psychiatric Association. DSM-5-TR, Opioid Use Disorder criteria, 2022."

LESSONS = [
    ("Assessing pain and the risks of opioid therapy", 6, """
Opioids are one option among many. Before you prescribe, **agree on a goal for function**
(walking to the mailbox, returning to work) rather than a pain score alone.

## Ask about risk before the first prescription

| Factor | Why it matters |
| --- | --- |
| Previous overdose or substance use disorder | Strongest predictor of future overdose |
| Benzodiazepines, gabapentinoids, alcohol | Additive respiratory depression |
| Sleep apnoea, COPD, renal or hepatic impairment | Reduced clearance or reserve |
| Age 65 or older | Falls, delirium, accumulation |
| Depression or anxiety | Higher risk of misuse and overdose |

For most acute pain, **non-opioid therapies** (NSAIDs, acetaminophen, ice, physical therapy)
are at least as effective. If an opioid is needed, it is added to them, not instead of them.
"""),
    ("Checking the prescription monitoring program", 4, """
Check your state's prescription drug monitoring program (in Massachusetts, **MassPAT**)
before the first opioid prescription and periodically during long-term therapy.

Look for:

- overlapping prescriptions from several prescribers or pharmacies,
- concurrent benzodiazepines,
- a total daily dose of 50 morphine milligram equivalents (MME) or more.

A worrying result is a reason for a **conversation**, not for dismissing the patient: screen for
opioid use disorder and offer treatment. The diagram below is the workflow used on our wards.
"""),
    ("Dosing and morphine milligram equivalents", 5, """
Start **opioid-naïve** patients on an *immediate-release* opioid at the lowest effective dose.
Extended-release or long-acting opioids are not for acute pain or opioid-naïve patients.

To compare regimens, convert each opioid to MME per day:
*daily dose × conversion factor*. For example, oxycodone 10 mg three times a day is
30 mg × 1.5 = **45 MME/day**.

| Opioid (oral) | Conversion factor |
| --- | --- |
| Morphine | 1 |
| Hydrocodone | 1 |
| Oxycodone | 1.5 |
| Hydromorphone | 5 |
| Tramadol | 0.2 |

At **50 MME/day or more**, reassess benefits and risks and offer naloxone. Methadone does not
convert linearly; ask pharmacy or pain medicine. The printable reference sheet is attached.
"""),
    ("Tapering opioids safely", 4, """
Taper when harms outweigh benefits, when the patient asks, or when function has not improved.
**Never stop abruptly** a patient on long-term opioids: withdrawal, uncontrolled pain and a
switch to illicit opioids follow.

- On opioids for **years**: reduce by about **10% of the dose per month**.
- On opioids for **weeks to months**: about 10% per week may be tolerated.
- Pause the taper rather than reverse it when the patient struggles; treat withdrawal
  symptoms (clonidine, loperamide, antiemetics).

Agree the plan with the patient, write it down, and see them often during the taper.
"""),
    ("Naloxone and recognising opioid use disorder", 5, """
**Offer naloxone** to anyone at increased risk of overdose: 50 MME/day or more, concurrent
benzodiazepines, a history of overdose or substance use disorder. Teach the family too.

Signs of overdose: unresponsiveness, slow or absent breathing, **pinpoint pupils**, blue lips.

## Opioid use disorder (DSM-5-TR)

Eleven criteria over 12 months; **2–3 mild, 4–5 moderate, 6 or more severe**. Tolerance and
withdrawal do *not* count when the opioid is taken as prescribed under medical supervision.

Treat it: since January 2023 any clinician with a DEA registration that includes Schedule III
may prescribe **buprenorphine** for opioid use disorder; no separate waiver is needed.
"""),
]

QUESTIONS = [
    ("single", "A patient takes oxycodone 10 mg three times a day. What is the total daily dose "
     "in morphine milligram equivalents (MME)?",
     [("30 MME/day", False), ("45 MME/day", True), ("60 MME/day", False), ("90 MME/day", False)],
     "Oxycodone's conversion factor is 1.5: 30 mg/day × 1.5 = 45 MME/day.", CDC_2022),
    ("single", "Before writing the first opioid prescription for a new patient, what should you "
     "check?",
     [("The state prescription drug monitoring program", True),
      ("A urine drug screen, and only that", False),
      ("The patient's pain score over the past week", False),
      ("Nothing: checks are only needed for long-term therapy", False)],
     "Checking the PDMP (MassPAT in Massachusetts) before the first prescription shows "
     "overlapping prescriptions and concurrent sedatives that raise overdose risk.", CDC_2022),
    ("multiple", "Which of these should prompt you to offer naloxone? Choose all that apply.",
     [("A total daily dose of 60 MME", True), ("Concurrent alprazolam", True),
      ("A previous opioid overdose", True), ("Regular acetaminophen use", False)],
     "Higher dosages (50 MME/day or more), concurrent benzodiazepines and a history of "
     "overdose or substance use disorder all increase overdose risk; acetaminophen does not.",
     CDC_2022),
    ("single", "A patient has taken hydrocodone for six years and you agree to taper. What rate "
     "is a reasonable starting point?",
     [("Stop today and treat withdrawal", False), ("About 10% of the dose per month", True),
      ("50% of the dose per week", False), ("25% of the dose per day", False)],
     "After years of therapy, slower tapers of about 10% per month are better tolerated; "
     "abrupt discontinuation risks withdrawal, pain crises and illicit use.", CDC_2022),
    ("single", "A patient meets 4 of the 11 DSM-5-TR criteria for opioid use disorder. How severe "
     "is it?",
     [("Mild", False), ("Moderate", True), ("Severe", False),
      ("Not opioid use disorder", False)],
     "Two to three criteria is mild, four to five moderate, six or more severe.", DSM5),
    ("single", "A patient takes morphine exactly as prescribed for cancer pain and has tolerance "
     "and withdrawal on stopping. How do these two findings count toward opioid use disorder?",
     [("They count as two criteria", False),
      ("They do not count when taken as prescribed under medical supervision", True),
      ("Tolerance counts, withdrawal does not", False),
      ("They confirm severe opioid use disorder", False)],
     "DSM-5-TR excludes tolerance and withdrawal when the opioid is taken solely under "
     "appropriate medical supervision.", DSM5),
    ("single", "An opioid-naïve patient needs an opioid after a distal radius fracture. Which is "
     "the best choice?",
     [("Extended-release oxycodone 10 mg twice daily", False),
      ("Immediate-release opioid at the lowest effective dose, with non-opioid analgesia", True),
      ("Transdermal fentanyl 25 mcg/h", False), ("Methadone 5 mg three times daily", False)],
     "Start immediate-release opioids at the lowest effective dose for acute pain; long-acting "
     "opioids and fentanyl patches are not for opioid-naïve patients.", CDC_2022),
    ("single", "What do you need to prescribe buprenorphine for opioid use disorder today?",
     [("A separate DATA 2000 (X) waiver", False),
      ("A current DEA registration that includes Schedule III", True),
      ("Board certification in addiction medicine", False),
      ("A 24-hour training course each year", False)],
     "The Consolidated Appropriations Act, 2023 removed the X-waiver: a standard DEA "
     "registration with Schedule III authority is enough.",
     "Consolidated Appropriations Act, 2023 (MAT Act), section 1262."),
    ("multiple", "Which signs suggest opioid overdose? Choose all that apply.",
     [("Pinpoint pupils", True), ("Slow or absent breathing", True),
      ("Unresponsiveness", True), ("Dilated pupils and sweating", False)],
     "The overdose triad is unresponsiveness, respiratory depression and miosis; dilated "
     "pupils and sweating point to withdrawal or stimulants.", CDC_2022),
    ("single", "A patient takes hydromorphone 4 mg every 6 hours. What is the daily dose in MME?",
     [("16 MME/day", False), ("64 MME/day", False), ("80 MME/day", True),
      ("120 MME/day", False)],
     "16 mg/day × 5 (hydromorphone's factor) = 80 MME/day: reassess and offer naloxone.",
     CDC_2022),
]


def workflow_png() -> bytes:
    """The ward's before-you-prescribe workflow as a PNG diagram."""
    steps = ["1  Assess pain, function and risk", "2  Check MassPAT (the PDMP)",
             "3  Agree goals and discuss risks", "4  Lowest effective immediate-release dose",
             "5  Offer naloxone if at risk; follow up"]
    width, box_h, gap = 900, 90, 40
    image = Image.new("RGB", (width, len(steps) * (box_h + gap) + 40), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    for index, text in enumerate(steps):
        top = 20 + index * (box_h + gap)
        draw.rounded_rectangle((60, top, width - 60, top + box_h), radius=14,
                               fill="#e8f0fb", outline="#1f4e8c", width=4)
        draw.text((90, top + box_h / 2), text, fill="#10233f", font=font, anchor="lm")
        if index < len(steps) - 1:
            x = width / 2
            draw.line((x, top + box_h, x, top + box_h + gap - 6), fill="#1f4e8c", width=5)
            draw.polygon([(x - 12, top + box_h + gap - 16), (x + 12, top + box_h + gap - 16),
                          (x, top + box_h + gap)], fill="#1f4e8c")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def mme_reference_pdf() -> bytes:
    rows = "".join(f"<tr><td>{name}</td><td>{factor}</td><td>{example}</td></tr>" for name, factor,
                   example in [("Morphine", "1", "30 mg/day = 30 MME"),
                               ("Hydrocodone", "1", "20 mg/day = 20 MME"),
                               ("Oxycodone", "1.5", "30 mg/day = 45 MME"),
                               ("Hydromorphone", "5", "16 mg/day = 80 MME"),
                               ("Tramadol", "0.2", "200 mg/day = 40 MME"),
                               ("Tapentadol", "0.4", "200 mg/day = 80 MME")])
    html = f"""<html><head><style>
      @page {{ size: Letter; margin: 2cm; }} body {{ font-family: sans-serif; color: #10233f; }}
      table {{ border-collapse: collapse; width: 100%; }}
      td, th {{ border: 1px solid #9fb3cc; padding: 6px 8px; text-align: left; }}
      th {{ background: #e8f0fb; }} </style></head><body>
      <h1>Morphine milligram equivalents: quick reference</h1>
      <p>MME/day = total daily dose (mg) × conversion factor. Oral opioids.</p>
      <table><tr><th>Opioid</th><th>Factor</th><th>Example</th></tr>{rows}</table>
      <p>At 50 MME/day or more: reassess benefits and risks, offer naloxone. Methadone does not
      convert linearly: ask pharmacy or pain medicine.</p>
      <p style="font-size: 9pt">Source: {CDC_2022}</p></body></html>"""
    return HTML(string=html).write_pdf()


def activity(demo: Demo) -> ActivityPlan:
    released = demo.today - datetime.timedelta(days=60)
    return ActivityPlan(
        title=TITLE,
        summary="An online module on assessing pain, prescribing opioids safely, tapering and "
                "recognising opioid use disorder.",
        description="Self-paced enduring material: five short lessons and a 10-question "
                    "post-test. Meets the opioid education requirement of many state boards.",
        learning_objectives="Assess the risks and benefits of opioid therapy\n"
                            "Use the prescription monitoring program before prescribing\n"
                            "Taper opioids safely and offer naloxone",
        format=Course.Format.ENDURING, specialties=("internal-medicine", "emergency-medicine"),
        topics=("opioid-pain-management",), designations=((CreditType.AMA_PRA_1, "2.00", ""),),
        roster=((OKAFOR, "faculty"), (PATEL, "reviewer")), release_date=released,
        termination_date=enduring_latest_termination(released))


def plan(demo: Demo) -> Plan:
    return Plan(courses=(TITLE,))


ATTACHMENTS = (
    Attachment(lesson=2, title="Workflow before every opioid prescription: assess, check "
               "MassPAT, agree goals, lowest immediate-release dose, offer naloxone",
               name="prescribing-workflow.png", content_type="image/png", make=workflow_png),
    Attachment(lesson=3, title="MME quick reference (printable)", name="mme-reference.pdf",
               content_type="application/pdf", make=mme_reference_pdf),
)


def seed(demo: Demo) -> None:
    course = activity_ensure(demo, activity(demo), content=lambda course: content_add(
        course, editor=demo.educator, lessons=LESSONS, attachments=ATTACHMENTS,
        questions=QUESTIONS, post_test=PostTestPlan(passing_percent=80, max_attempts=3)))
    # Dr Raman started two days ago and read three lessons; the rest and the post-test wait.
    if not ModuleProgress.objects.filter(user=demo.clinician, course=course).exists():
        started = demo.ago(days=2)
        module_start(user=demo.clinician, course=course, now=started)
        lessons_read(demo.clinician, course, count=3, started=started)
