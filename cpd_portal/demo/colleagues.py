"""A year of the colleagues' learning, for the CME office's dashboard and reports: the past
year's monthly lunchtime programme (each colleague attended one or two, was marked on the roster,
evaluated and, three in four, claimed within days), and the outside CME some physicians
recorded with their certificate (a Board-mandated topics bundle, a national meeting), which the
CME office verified. Massachusetts physicians thus stand met, on track or behind.
"""
import datetime
import functools
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from weasyprint import HTML

from courses.credit_types import CreditType
from courses.models import Topic
from credits.ledger.external import external_activity_create, external_activity_verify
from credits.ledger.models import ExternalActivity

from .activities import activity_ensure, past_activity, sessions_of
from .context import Demo, Plan
from .learners import claimed, enrolled, evaluated, roster_marked

PROGRAMME = [
    {"title": "Stroke Code: The First Sixty Minutes",
     "summary": "From the overhead page to thrombolysis: the hospital's stroke code, "
                "door-to-needle targets and who does what.",
     "days_ago": 320, "start": (12, 0), "minutes": 120, "credits": "2.00"},
    {"title": "Anaphylaxis in the Emergency Department",
     "summary": "Recognition, intramuscular epinephrine without delay, refractory anaphylaxis "
                "and safe discharge with an auto-injector.",
     "days_ago": 292, "start": (7, 30), "minutes": 60, "credits": "1.00"},
    {"title": "Acute Kidney Injury in Hospitalised Patients",
     "summary": "KDIGO staging, nephrotoxic medicines to stop, and when to call nephrology.",
     "days_ago": 265, "start": (7, 30), "minutes": 60, "credits": "1.00"},
    {"title": "Safe Use of Insulin on the Wards",
     "summary": "Basal-bolus regimens, sliding scales to retire, and hypoglycaemia on the "
                "hospital's insulin order set.",
     "days_ago": 238, "start": (12, 0), "minutes": 60, "credits": "1.00",
     "topics": ("patient-safety",)},
    {"title": "Preventing Falls in Older Inpatients",
     "summary": "Risk screening, bed alarms, delirium and sedatives: what actually prevents "
                "falls on the wards.",
     "days_ago": 210, "start": (12, 0), "minutes": 90, "credits": "1.50",
     "topics": ("patient-safety",)},
    {"title": "Pressure Injury Prevention and Staging",
     "summary": "Skin assessment, repositioning and support surfaces, and staging pressure "
                "injuries consistently across the units.",
     "days_ago": 181, "start": (13, 0), "minutes": 90, "credits": "1.50"},
    {"title": "Starting Buprenorphine in Hospital",
     "summary": "Treating opioid withdrawal and opioid use disorder during an admission, and "
                "a safe handover to outpatient care.",
     "days_ago": 150, "start": (12, 0), "minutes": 120, "credits": "2.00",
     "topics": ("opioid-pain-management",)},
    {"title": "Pulmonary Embolism: Risk Stratification and Treatment",
     "summary": "From the Wells score to the PE response team: who needs imaging, "
                "anticoagulation, or more.",
     "days_ago": 124, "start": (12, 0), "minutes": 60, "credits": "1.00"},
    {"title": "Diabetic Ketoacidosis: The Updated Protocol",
     "summary": "Fluids, insulin and potassium under the hospital's revised DKA order set.",
     "days_ago": 100, "start": (7, 30), "minutes": 60, "credits": "1.00"},
    {"title": "End-of-Life Conversations on the Wards",
     "summary": "Goals-of-care conversations with a serious illness guide, and documenting "
                "them where the next team will find them.",
     "days_ago": 70, "start": (13, 0), "minutes": 120, "credits": "2.00",
     "topics": ("end-of-life-care",)},
    {"title": "Transfusion Safety: Consent, Checks and Reactions",
     "summary": "Consent, the two-person bedside check and recognising a transfusion reaction "
                "in its first fifteen minutes.",
     "days_ago": 45, "start": (7, 30), "minutes": 60, "credits": "1.00",
     "topics": ("patient-safety",)},
]
CHANGES = [
    "Page the stroke team before imaging, not after.",
    "Review every nephrotoxic medicine on day one.",
    "Ask about goals of care earlier in the admission.",
    "Use the order set instead of writing orders from memory.",
]
BOARD_TOPICS = ("risk-management", "opioid-pain-management", "board-regulations",
                "implicit-bias", "end-of-life-care", "electronic-health-records")
# Physicians who recorded outside CME: a national meeting each, and the first five also a bundle
# of every Board-mandated topic (with the meeting, their renewal requirements are met).
OUTSIDE_CME_PHYSICIANS = 12
BOARD_BUNDLES = 5


def _programme(demo: Demo):
    return [past_activity(demo, credit_types=(CreditType.AMA_PRA_1, CreditType.ANCC), **spec)
            for spec in PROGRAMME]


def plan(demo: Demo) -> Plan:
    return Plan(courses=tuple(activity.title for activity in _programme(demo)))


def _programme_history(demo: Demo) -> None:
    rng = random.Random(2026)
    activities = _programme(demo)
    attendees: dict[int, list] = {index: [] for index in range(len(activities))}
    for colleague in demo.colleagues:
        for index in rng.sample(range(len(activities)), k=rng.choice((1, 1, 1, 2))):
            attendees[index].append((colleague, rng.randint(0, 4), rng.random() < 0.75))
    for index, activity in enumerate(activities):
        course = activity_ensure(demo, activity)
        [session] = sessions_of(course)
        for number, (colleague, _, _) in enumerate(attendees[index]):
            enrolled(colleague, course, at=session.starts_at - datetime.timedelta(
                days=30 - number % 20, hours=number % 9))
        roster_marked(session, [colleague for colleague, _, _ in attendees[index]],
                      educator=demo.educator)
        for number, (colleague, days_later, claims) in enumerate(attendees[index]):
            answered = session.ends_at + datetime.timedelta(days=days_later, hours=3)
            evaluated(colleague, course, at=answered, rating=4 + number % 2,
                      change=CHANGES[number % len(CHANGES)])
            if claims:
                claimed(colleague, course, at=answered + datetime.timedelta(minutes=4))


@functools.cache
def _certificate_pdf(provider: str, title: str) -> bytes:
    """The certificate the learner uploads with an outside activity."""
    return HTML(string=f"<h1>{provider}</h1><p>Certificate of completion: {title}. AMA PRA "
                       "Category 1 Credits™ awarded.</p>").write_pdf()


def _outside_cme(demo: Demo) -> None:
    physicians = [user for user in demo.colleagues if user.licences.filter(state="MA").exists()]
    topics = list(Topic.objects.filter(slug__in=BOARD_TOPICS))
    for index, user in enumerate(physicians[:OUTSIDE_CME_PHYSICIANS]):
        # Spread over the year, as people come back from meetings and courses.
        recorded = [("American College of Physicians", "Internal Medicine Annual Meeting",
                     Decimal("32.00"), [], 30 + 27 * index)]
        if index < BOARD_BUNDLES:
            recorded.append(("Massachusetts Medical Society", "Board-mandated topics bundle",
                             Decimal("20.00"), topics, 15 + 41 * index))
        for provider, title, amount, activity_topics, days_ago in recorded:
            if ExternalActivity.objects.filter(user=user, title=title).exists():
                continue
            certificate = ContentFile(_certificate_pdf(provider, title), name="certificate.pdf")
            activity = external_activity_create(
                user=user, provider=provider, title=title, credit_type=CreditType.AMA_PRA_1,
                amount=amount, completed_on=demo.today - datetime.timedelta(days=days_ago),
                topics=activity_topics, certificate=certificate,
                certificate_mime="application/pdf", now=demo.ago(days=days_ago - 2))
            external_activity_verify(activity=activity, actor=demo.administrator)


def seed(demo: Demo) -> None:
    _programme_history(demo)
    _outside_cme(demo)
