"""Demo learning history for `manage.py seed_demo` (after courses.demo): Dr Priya Raman's
attendance, evaluations and credit claims, so My learning, the transcript and requirement
progress have something to show; and Ana Costa, PharmD, with two ACPE activities claimed and
their CPE Monitor reports (one accepted, one still pending: `make run` has no CPE Monitor).

Claims go through the real claim service, so `make run`'s worker issues the certificates.
Idempotent: past courses are keyed on their slug, attendance on (session, learner), and an
evaluation or claim already made is not made again.
"""
import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from courses.credit_types import CreditType
from courses.models import Course, CreditDesignation, Session, Topic
from courses.services.search import course_search_index_update
from credits.attendance.models import Attendance
from credits.boards.models import BoardReport
from credits.boards.services import board_reports_sync
from credits.evaluations.models import EvaluationQuestion, EvaluationResponse
from credits.evaluations.services import evaluation_submit
from credits.ledger.claims import credit_claim
from credits.ledger.selectors import claim_status_for

OFFICE_ZONE = zoneinfo.ZoneInfo("America/New_York")

# Past activities the demo clinician attended, and how far she has got with each.
PAST_COURSES = [
    {
        "slug": "risk-management-informed-consent",
        "title": "Risk Management: Informed Consent and Documentation",
        "summary": "What a defensible consent conversation and note look like, with cases "
                   "from the hospital's claims office.",
        "topics": ["risk-management"], "credits": "3.00", "days_ago": 40,
        "start": (13, 0), "minutes": 180, "evaluated": True, "claimed": True,
    },
    {
        "slug": "sepsis-first-hour",
        "title": "Sepsis: Early Recognition and the First Hour",
        "summary": "Screening, lactate, cultures and antibiotics within the hour: the "
                   "hospital's sepsis bundle in practice.",
        "topics": [], "credits": "1.50", "days_ago": 6,
        "start": (7, 30), "minutes": 90, "evaluated": False, "claimed": False,
    },
    {
        "slug": "delirium-older-inpatients",
        "title": "Delirium in Hospitalised Older Adults",
        "summary": "Preventing, recognising and managing delirium on the medical wards.",
        "topics": [], "credits": "1.00", "days_ago": 12,
        "start": (12, 0), "minutes": 60, "evaluated": True, "claimed": False,
    },
]


def _past_session_times(days_ago: int, start: tuple[int, int], minutes: int):
    day = timezone.now().astimezone(OFFICE_ZONE).date() - datetime.timedelta(days=days_ago)
    starts_at = datetime.datetime.combine(day, datetime.time(*start), tzinfo=OFFICE_ZONE)
    return starts_at, starts_at + datetime.timedelta(minutes=minutes)


# Ana Costa's ACPE activities: (slug, title, summary, UAN, days ago, already accepted).
PHARMACY_COURSES = [
    ("opioid-stewardship-pharmacists", "Opioid Stewardship for Pharmacists",
     "Tapering, naloxone co-prescribing and the PDMP: the pharmacist's part in safe opioid "
     "use.", "0197-0000-26-021-L08-P", 54, False),
    ("vancomycin-auc-dosing", "Vancomycin AUC-Guided Dosing",
     "Moving from trough-based to AUC-guided vancomycin dosing with Bayesian software.",
     "0197-0000-26-017-L01-P", 30, True),
]


def _past_course(spec: dict, educator) -> Course:
    course, _ = Course.objects.update_or_create(slug=spec["slug"], defaults={
        "title": spec["title"], "summary": spec["summary"],
        "description": spec["summary"], "learning_objectives": "",
        "format": Course.Format.LIVE, "status": Course.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=spec["days_ago"] + 30),
    })
    course.directors.add(educator)
    course.topics.set(Topic.objects.filter(slug__in=spec["topics"]))
    CreditDesignation.objects.update_or_create(
        course=course, credit_type=spec.get("credit_type", CreditType.AMA_PRA_1),
        defaults={"max_credits": Decimal(spec["credits"]), "acpe_uan": spec.get("uan", "")})
    starts_at, ends_at = _past_session_times(spec["days_ago"], spec["start"], spec["minutes"])
    session = course.sessions.order_by("pk").first()
    if session is None:
        Session.objects.create(course=course, starts_at=starts_at, ends_at=ends_at,
                               location="Auditorium A, Main Hospital")
    else:
        session.starts_at, session.ends_at = starts_at, ends_at
        session.save(update_fields=["starts_at", "ends_at"])
    return course


def _attend(learner, course: Course, *, before: datetime.datetime) -> None:
    for session in course.sessions.filter(is_cancelled=False, ends_at__lte=before):
        Attendance.objects.get_or_create(session=session, user=learner, defaults={
            "status": Attendance.Status.PRESENT, "source": Attendance.Source.ROSTER})


def _evaluate(learner, course: Course) -> None:
    if EvaluationResponse.objects.filter(user=learner, course=course).exists():
        return
    answers = {}
    for question in EvaluationQuestion.objects.filter(course__isnull=True):
        if question.kind == EvaluationQuestion.Kind.LIKERT:
            answers[question.pk] = {"rating": 5}
        elif question.kind == EvaluationQuestion.Kind.YES_NO:
            answers[question.pk] = {"yes_no": True}
    evaluation_submit(user=learner, course=course, answers=answers)


def _claim_everything_open(learner, course: Course) -> None:
    status = claim_status_for(user=learner, course=course)
    amounts = {option.credit_type: option.maximum for option in status.open_options}
    if status.can_claim and amounts:
        credit_claim(user=learner, course=course, amounts=amounts)


def _pharmacist_history(pharmacist, educator, *, now) -> None:
    for slug, title, summary, uan, days_ago, accepted in PHARMACY_COURSES:
        course = _past_course({"slug": slug, "title": title, "summary": summary, "topics": [],
                               "credits": "1.00", "days_ago": days_ago, "start": (18, 0),
                               "minutes": 60, "credit_type": CreditType.ACPE, "uan": uan},
                              educator)
        course.target_professions, course.claim_window_days = ["pharmacist"], 90
        course.save(update_fields=["target_professions", "claim_window_days"])
        _attend(pharmacist, course, before=now)
        _evaluate(pharmacist, course)
        _claim_everything_open(pharmacist, course)
        # The claim's report record comes from the ledger's signal; the accepted one is shown
        # as CPE Monitor answers a submission (`make run` has no service to ask).
        board_reports_sync(user_id=pharmacist.pk, course_id=course.pk)
        if accepted:
            BoardReport.objects.filter(
                credit_record__user=pharmacist, credit_record__course=course,
                status=BoardReport.Status.PENDING,
            ).update(status=BoardReport.Status.ACCEPTED, response_code="ACCEPTED",
                     message="Activity recorded.", attempts=1, sent_at=now, reported_at=now)


def seed(people: dict) -> None:
    clinician, educator = people["Clinician"], people["Educator"]
    now = timezone.now()
    past_courses = [(spec, _past_course(spec, educator)) for spec in PAST_COURSES]
    course_search_index_update(course_ids=[course.pk for _, course in past_courses])
    for spec, course in past_courses:
        _attend(clinician, course, before=now)
        if spec["evaluated"]:
            _evaluate(clinician, course)
        if spec["claimed"]:
            _claim_everything_open(clinician, course)

    # Medical Grand Rounds (a weekly series from courses.demo): the past weeks attended,
    # evaluated and claimed.
    grand_rounds = Course.objects.get(slug="medical-grand-rounds")
    _attend(clinician, grand_rounds, before=now)
    _evaluate(clinician, grand_rounds)
    _claim_everything_open(clinician, grand_rounds)

    if "Pharmacist" in people:
        _pharmacist_history(people["Pharmacist"], educator, now=now)
