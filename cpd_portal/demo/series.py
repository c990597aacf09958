"""The grand rounds as a coordinated series: Marcus Lee coordinates (as its director), next
week's speaker has sent objectives, and a colleague who sat through the first session without
checking in waits for his answer to their late-claim request."""
import datetime

from credits.series.models import LateClaimRequest, SessionPlan
from credits.series.services import late_claim_request_file, session_plan_save

from .activities import activity_find, sessions_of
from .catalog import GRAND_ROUNDS
from .context import Demo, Plan
from .learners import enrolled

OBJECTIVES = ("Recognise sepsis-associated encephalopathy at the bedside\n"
              "Apply the hour-1 bundle on the ward as in the emergency department\n"
              "Decide when to escalate to critical care outreach")
LATE_REASON = ("I was in the auditorium for the whole hour but the check-in code was only on "
               "the screen while I was paged to 6 West; Dr Chen can confirm I asked a question.")


def plan(demo: Demo) -> Plan:
    return Plan(notes=("Grand rounds' coordinator page: what each upcoming session still "
                       "lacks, and a colleague's late-claim request waiting",))


def seed(demo: Demo) -> None:
    course = activity_find(demo, GRAND_ROUNDS)
    if course is None:
        return
    sessions = sessions_of(course)
    upcoming = [session for session in sessions if session.starts_at > demo.now]
    if upcoming and not SessionPlan.objects.filter(session=upcoming[0]).exists():
        session_plan_save(session=upcoming[0], actor=demo.educator, objectives=OBJECTIVES)
    held = [session for session in sessions if session.ends_at < demo.now]
    if not held or LateClaimRequest.objects.filter(session__course=course).exists():
        return
    colleague = demo.colleagues[-1]
    enrolled(colleague, course, at=held[0].starts_at - datetime.timedelta(days=5))
    late_claim_request_file(session=held[0], user=colleague, reason=LATE_REASON,
                            now=held[0].ends_at + datetime.timedelta(hours=2))
