"""Pathways: the *Sepsis champion track*, open to join, which Dr Raman joined three weeks ago
and is part way through (the sepsis grand rounds she attended last month count, her sepsis
huddles are recorded, the drill is under way, the airway workshop waits for the drill), and
the *New graduate nurse residency* (a skills day checklist, two online modules, a drill and
the Nursing Skills Day, where the cohort has a session of its own), assigned to this intake's
cohort of nurses three weeks ago, which the CME office watches on its cohort dashboard; and
the *Emerging clinical leaders programme*, open for applications to its spring cohort.
"""
import datetime

from credits.assignments.models import Assignment
from credits.checklists.models import Checklist
from credits.pathways.applications import cohort_create, pathway_apply
from credits.pathways.cohort_sessions import cohort_session_create
from credits.pathways.models import Cohort, Pathway, PathwayEnrolment, Step
from credits.pathways.services import (
    external_step_record,
    pathway_assign,
    pathway_create,
    pathway_join,
    pathway_version_publish,
    step_add,
    step_group_add,
)

from . import assignments, catalog, checklists, drills, online, scorm
from .activities import activity_find, unattended_session_move
from .context import Demo, Plan

SEPSIS_TRACK = "Sepsis champion track"
RESIDENCY = "New graduate nurse residency"
LEADERSHIP = "Emerging clinical leaders programme"
SEPSIS_LIVE = "Sepsis: Early Recognition and the First Hour"
HUDDLES = "Lead two sepsis huddles on your unit"
# The residency's cohort started three weeks ago: past the first step's due date (day 14).
RESIDENCY_COHORT_DAYS = 21
SKILLS_DAY = "Nursing Skills Day"
# The cohort's own skills day, in nine days (the monthly public one is in eleven).
RESIDENCY_SKILLS_DAY_TITLE = "Residency skills day: lines, pumps and sepsis screening"
RESIDENCY_SKILLS_DAY_IN_DAYS = 9
SKILLS_DAY_PLACE = "Simulation Center, Building C, 2nd floor"


def plan(demo: Demo) -> Plan:
    return Plan(notes=(f"Publishes the pathways “{SEPSIS_TRACK}” (open to join) and "
                       f"“{RESIDENCY}” (assigned to a cohort of every nurse, started three weeks "
                       "ago): on a portal with real people, the nurses are put on the residency "
                       "too; and the application "
                       f"programme “{LEADERSHIP}”.",))


def _sepsis_track(demo: Demo) -> Pathway:
    pathway = Pathway.objects.filter(title=SEPSIS_TRACK).first()
    if pathway is not None:
        return pathway
    published = demo.now - datetime.timedelta(days=45)
    pathway = pathway_create(
        created_by=demo.educator, title=SEPSIS_TRACK, entry=Pathway.Entry.OPEN,
        time_limit_days=120,
        summary="For the physicians and nurses who lead sepsis care on their unit: the first "
                "hour, recognising deterioration every morning, the airway when it goes wrong, "
                "and leading your unit's huddles. About twelve hours over four months.")
    version = pathway.versions.get()
    core = step_group_add(version=version, title="Core")
    step_add(group=core, kind=Step.Kind.LIVE_COURSE, course=activity_find(demo, SEPSIS_LIVE),
             earlier_completion_days=730,
             instructions="Attended in the last two years? It counts.")
    drill = step_add(group=core, kind=Step.Kind.DRILL, course=activity_find(demo, drills.TITLE),
                     due_days_after_start=42,
                     instructions="Two questions each weekday morning until every one is "
                                  "retired.")
    step_add(group=core, kind=Step.Kind.ASSIGNED_TRAINING,
             assignment=Assignment.objects.filter(course=activity_find(
                 demo, assignments.TITLE)).first())
    step_add(group=core, kind=Step.Kind.LIVE_COURSE,
             course=activity_find(demo, catalog.AIRWAY_WORKSHOP), prerequisite=drill,
             instructions="Hands-on: the failed airway, in the simulation centre.")
    electives = step_group_add(version=version, title="Lead on your unit (choose one)",
                               required_count=1)
    step_add(group=electives, kind=Step.Kind.EXTERNAL, title=HUDDLES,
             instructions="Signed off by your unit's sepsis coordinator; record the dates.")
    step_add(group=electives, kind=Step.Kind.ONLINE_MODULE,
             course=activity_find(demo, online.TITLE))
    pathway_version_publish(version=version, now=published)
    pathway.refresh_from_db()
    return pathway


def _residency(demo: Demo) -> None:
    """Built by Marcus Lee, assigned to this intake's cohort three weeks ago: the skills day
    is the checklist he validates in the skills lab, and a session of the Nursing Skills Day
    (which he directs) kept for the cohort; the cohort's pacing makes the infection control
    module overdue for those who have not done it, which the office dashboard shows."""
    if Pathway.objects.filter(title=RESIDENCY).exists():
        return
    pathway = pathway_create(
        created_by=demo.educator, title=RESIDENCY, entry=Pathway.Entry.ASSIGNED,
        time_limit_days=120,
        summary="The first four months of a newly qualified nurse on the wards: the skills "
                "day, infection control, central-line care and recognising sepsis early.")
    version = pathway.versions.get()
    core = step_group_add(version=version, title="First four months")
    step_add(group=core, kind=Step.Kind.ONLINE_MODULE,
             course=activity_find(demo, assignments.TITLE), due_days_after_start=14,
             instructions="This year's module counts, whenever you did it.")
    step_add(group=core, kind=Step.Kind.SKILLS_CHECKLIST,
             checklist=Checklist.objects.get(title=checklists.TITLE), earlier_completion_days=0,
             due_days_after_start=30,
             instructions="The skills day: your preceptor or Marcus Lee validates each skill in "
                          "the skills lab or at the bedside.")
    step_add(group=core, kind=Step.Kind.ONLINE_MODULE,
             course=activity_find(demo, scorm.CENTRAL_LINE), due_days_after_start=45)
    step_add(group=core, kind=Step.Kind.DRILL, course=activity_find(demo, drills.TITLE),
             due_days_after_start=90,
             instructions="Two questions each weekday morning until every one is retired.")
    step_add(group=core, kind=Step.Kind.LIVE_COURSE, course=activity_find(demo, SKILLS_DAY),
             due_days_after_start=35,
             instructions="Your cohort has a skills day of its own: enrol from the activity's "
                          "page.")
    pathway_version_publish(version=version, now=demo.now - datetime.timedelta(days=30))
    pathway.refresh_from_db()
    month = demo.today - datetime.timedelta(days=RESIDENCY_COHORT_DAYS)
    cohort = cohort_create(pathway=pathway, name=f"{month:%B %Y} new graduates",
                           starts_on=month)
    pathway_assign(pathway=pathway, target="profession", target_value="nurse", cohort=cohort,
                   today=month)


def _residency_skills_day(demo: Demo) -> None:
    """The cohort's own session of the Nursing Skills Day, made by Marcus Lee (its director);
    a later run moves it with today, as the catalog's unattended sessions move."""
    cohort = Cohort.objects.get(pathway__title=RESIDENCY)
    day = RESIDENCY_SKILLS_DAY_IN_DAYS
    starts_at, ends_at = demo.at(day, 8), demo.at(day, 15, 30)
    link = cohort.sessions.select_related("session").first()
    if link is None:
        cohort_session_create(cohort=cohort, course=activity_find(demo, SKILLS_DAY),
                              by=demo.educator, starts_at=starts_at, ends_at=ends_at,
                              title=RESIDENCY_SKILLS_DAY_TITLE, location=SKILLS_DAY_PLACE,
                              now=demo.now)
        return
    unattended_session_move(demo, link.session, starts_at=starts_at, ends_at=ends_at)


def _leadership(demo: Demo) -> None:
    """Open for applications: twelve places in the spring cohort, four colleagues applied."""
    if Pathway.objects.filter(title=LEADERSHIP).exists():
        return
    pathway = pathway_create(
        created_by=demo.administrator, title=LEADERSHIP, entry=Pathway.Entry.APPLICATION,
        time_limit_days=270,
        summary="Nine months for charge nurses, new consultants and pharmacy leads who run a "
                "team: leading a huddle, difficult conversations, risk and disclosure after "
                "harm, and a quality-improvement project with a coach.")
    version = pathway.versions.get()
    core = step_group_add(version=version, title="Core")
    step_add(group=core, kind=Step.Kind.LIVE_COURSE,
             course=activity_find(demo, "Risk Management: Communication and Resolution after "
                                        "Adverse Events"), due_days_after_start=60)
    step_add(group=core, kind=Step.Kind.LIVE_COURSE,
             course=activity_find(demo, "Implicit Bias in Clinical Decision-Making"),
             due_days_after_start=120)
    step_add(group=core, kind=Step.Kind.EXTERNAL, title="360-degree feedback with your coach",
             due_days_after_start=45)
    step_add(group=core, kind=Step.Kind.EXTERNAL,
             title="Quality-improvement project presented at the unit's governance meeting",
             due_days_after_start=240)
    pathway_version_publish(version=version, now=demo.now - datetime.timedelta(days=14))
    pathway.refresh_from_db()
    cohort = cohort_create(
        pathway=pathway, name=f"Spring {demo.today.year + 1}", places=12,
        starts_on=demo.today + datetime.timedelta(days=75),
        applications_close_on=demo.today + datetime.timedelta(days=30),
        application_prompt="Tell us about the team you lead, what you want to change in the "
                           "next year, and how your manager will support your time.")
    for index, user in enumerate(demo.colleagues[1:8:2]):
        pathway_apply(cohort=cohort, user=user, now=demo.ago(days=12 - 2 * index, hours=3),
                      statement="I lead the evening shift on my unit and want to run our "
                                "safety huddles and a falls-reduction project this year.")


def seed(demo: Demo) -> None:
    track = _sepsis_track(demo)
    joined_on = demo.today - datetime.timedelta(days=21)
    if not PathwayEnrolment.objects.filter(pathway=track, user=demo.clinician).exists():
        enrolment = pathway_join(pathway=track, user=demo.clinician, today=joined_on)
        external_step_record(
            enrolment=enrolment, step=track.current_version.steps.get(title=HUDDLES),
            completed_on=demo.today - datetime.timedelta(days=6),
            note="4 West: Tuesday and Thursday huddles, signed off by J. Ellis, RN",
            today=demo.today - datetime.timedelta(days=6))
    _residency(demo)
    _residency_skills_day(demo)
    _leadership(demo)
