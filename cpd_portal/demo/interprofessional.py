"""A past activity planned by and for the care team: the sepsis huddle workshop carried IPCE
credit alongside each profession's own type (AMA PRA Category 1, ANCC, AAPA Category 1), and
physicians, nurses, pharmacists and physician assistants among the colleagues attended it,
evaluated it and claimed. The office dashboard's Joint Accreditation figures (the share of
activities with IPCE, participation by profession) thus show real figures.
"""
import datetime

from courses.credit_types import CreditType

from .activities import activity_ensure, past_activity, sessions_of
from .context import Demo, Plan
from .learners import claimed, enrolled, evaluated, roster_marked

WORKSHOP = {
    "title": "Sepsis Huddles: The Team's First Hour",
    "summary": "Physicians, nurses, pharmacists and physician assistants rehearse the first hour "
               "of sepsis care together: who screens, who draws cultures, who prepares and "
               "gives the antibiotics, and how the huddle hands over.",
    "days_ago": 84, "start": (13, 0), "minutes": 120, "credits": "2.00",
}
# How many colleagues of each profession attended (the first of each in the colleagues' list).
ATTENDANCE = {"physician": 2, "nurse": 5, "pharmacist": 2, "physician_assistant": 2}
CHANGES = ["Call the huddle at the first positive screen, not after the lactate.",
           "Prepare the first antibiotic dose while cultures are drawn."]


def _workshop(demo: Demo):
    return past_activity(demo, credit_types=(CreditType.AMA_PRA_1, CreditType.ANCC,
                                             CreditType.AAPA_1, CreditType.IPCE),
                         location="Simulation Centre, Main Hospital", **WORKSHOP)


def plan(demo: Demo) -> Plan:
    return Plan(courses=(WORKSHOP["title"],))


def _attendees(demo: Demo) -> list:
    return [colleague for profession, count in ATTENDANCE.items()
            for colleague in [user for user in demo.colleagues
                              if user.profession == profession][:count]]


def seed(demo: Demo) -> None:
    course = activity_ensure(demo, _workshop(demo))
    [session] = sessions_of(course)
    attendees = _attendees(demo)
    for number, colleague in enumerate(attendees):
        enrolled(colleague, course, at=session.starts_at - datetime.timedelta(days=21 - number))
    roster_marked(session, attendees, educator=demo.educator)
    for number, colleague in enumerate(attendees):
        answered = session.ends_at + datetime.timedelta(days=number % 3, hours=2)
        evaluated(colleague, course, at=answered, rating=4 + number % 2,
                  change=CHANGES[number % len(CHANGES)])
        claimed(colleague, course, at=answered + datetime.timedelta(minutes=5))
