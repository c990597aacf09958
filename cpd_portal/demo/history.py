"""The learning history of the demo logins. Dr Priya Raman attended three past activities and
three weeks of grand rounds: one claimed, one waiting for her evaluation, one for her claim, so
My learning, the transcript and her Massachusetts requirements have something to show. Ana
Costa, PharmD, claimed two ACPE activities: CPE Monitor accepted the older report; the newer
one is pending (`make run` has no CPE Monitor to send it to).

Everything is replayed through the learner's services at its moment: enrolment, check-in with
the session's code, evaluation, claim (so each credit record has its audit entry, and the
certificate follows from the claim as usual).
"""
import datetime

from courses.credit_types import CreditType
from credits.boards.cpe_monitor import Answer, Outcome
from credits.boards.models import BoardReport
from credits.boards.services import board_reports_sync, cpe_monitor_submit

from .activities import activity_ensure, activity_find, past_activity, sessions_of
from .catalog import GRAND_ROUNDS
from .context import Demo, Plan
from .learners import checked_in, claimed, enrolled, evaluated

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

# Dr Raman's past activities: how far she got, and what she will change in her practice.
PHYSICIAN_ACTIVITIES = [
    ({"title": "Risk Management: Informed Consent and Documentation",
      "summary": "What a defensible consent conversation and note look like, with cases from "
                 "the hospital's claims office.",
      "topics": ("risk-management",), "credits": "3.00", "days_ago": 40, "start": (13, 0),
      "minutes": 180},
     "claimed", "Use teach-back and document the alternatives I discussed."),
    ({"title": "Sepsis: Early Recognition and the First Hour",
      "summary": "Screening, lactate, cultures and antibiotics within the hour: the hospital's "
                 "sepsis bundle in practice.",
      "credits": "1.50", "days_ago": 6, "start": (7, 30), "minutes": 90},
     "attended", ""),
    ({"title": "Delirium in Hospitalised Older Adults",
      "summary": "Preventing, recognising and managing delirium on the medical wards.",
      "credits": "1.00", "days_ago": 12, "start": (12, 0), "minutes": 60},
     "evaluated", "Screen every patient over 65 with the 4AT on admission."),
]

# Ana Costa's ACPE activities, and whether CPE Monitor has accepted the report.
PHARMACY_ACTIVITIES = [
    ({"title": "Opioid Stewardship for Pharmacists",
      "summary": "Tapering, naloxone co-prescribing and the PDMP: the pharmacist's part in safe "
                 "opioid use.",
      "uan": "0197-0000-26-021-L08-P", "days_ago": 54}, False),
    ({"title": "Vancomycin AUC-Guided Dosing",
      "summary": "Moving from trough-based to AUC-guided vancomycin dosing with Bayesian "
                 "software.",
      "uan": "0197-0000-26-017-L01-P", "days_ago": 30}, True),
]


class _CpeMonitorOfThePast:
    """CPE Monitor's answer to the report sent weeks ago, replayed through the submission
    service (which records the attempt and the acceptance as it did then)."""

    def submit(self, submission) -> Answer:
        return Answer(Outcome.ACCEPTED, "ACCEPTED", "Activity recorded.", 200)


def _physician_activities(demo: Demo):
    return [(past_activity(demo, **spec), progress, change)
            for spec, progress, change in PHYSICIAN_ACTIVITIES]


def _pharmacy_activities(demo: Demo):
    return [(past_activity(demo, credits="1.00", start=(18, 0), minutes=60,
                           credit_types=(CreditType.ACPE,), target_professions=("pharmacist",),
                           location="Pharmacy Conference Room B", **spec), accepted)
            for spec, accepted in PHARMACY_ACTIVITIES]


def plan(demo: Demo) -> Plan:
    return Plan(courses=tuple(activity.title for activity, *_ in _physician_activities(demo)
                              + _pharmacy_activities(demo)))


def _attended(demo: Demo, learner, course) -> datetime.datetime:
    """Enrolled two weeks before, checked in to every session that ended a day ago or more;
    returns the end of the last one."""
    sessions = [s for s in sessions_of(course) if s.ends_at <= demo.ago(days=1)]
    enrolled(learner, course, at=sessions[0].starts_at - 14 * DAY)
    for session in sessions:
        checked_in(learner, session)
    return sessions[-1].ends_at


def _physician_history(demo: Demo) -> None:
    priya = demo.clinician
    for activity, progress, change in _physician_activities(demo):
        course = activity_ensure(demo, activity)
        ended = _attended(demo, priya, course)
        if progress in ("evaluated", "claimed"):
            evaluated(priya, course, at=ended + DAY, change=change)
        if progress == "claimed":
            claimed(priya, course, at=ended + 2 * DAY)
    # The weeks of Medical Grand Rounds held so far: attended, evaluated and claimed.
    grand_rounds = activity_find(demo, GRAND_ROUNDS)
    ended = _attended(demo, priya, grand_rounds)
    evaluated(priya, grand_rounds, at=ended + 2 * HOUR,
              change="Start the sepsis bundle at triage, not on the ward.")
    claimed(priya, grand_rounds, at=ended + 3 * HOUR)


def _pharmacist_history(demo: Demo) -> None:
    ana = demo.pharmacist
    for activity, accepted in _pharmacy_activities(demo):
        course = activity_ensure(demo, activity)
        ended = _attended(demo, ana, course)
        evaluated(ana, course, at=ended + DAY, change="Offer naloxone with every opioid "
                  "dispensed over 50 MME a day." if "Opioid" in course.title else
                  "Use AUC-guided dosing for every vancomycin consult.")
        claimed(ana, course, at=ended + 2 * DAY)
        # The claim's report (the ledger's signal makes it on commit; made here first so the
        # accepted one can be answered now, as it was a day after the claim).
        board_reports_sync(user_id=ana.pk, course_id=course.pk)
        report = BoardReport.objects.filter(credit_record__user=ana, credit_record__course=course,
                                            status=BoardReport.Status.PENDING).first()
        if accepted and report is not None:
            cpe_monitor_submit(report_id=report.pk, client=_CpeMonitorOfThePast(),
                               now=ended + 3 * DAY)


def seed(demo: Demo) -> None:
    _physician_history(demo)
    _pharmacist_history(demo)
