"""Reads of the disclosure package: who controls an activity's content, their current
disclosures and this activity's mitigations, what blocks publishing, and what learners see.

`activity_disclosures` reads only `.all()` of the course's sessions (with faculty and their
financial disclosures), roster (`disclosures`, with faculty), `mitigations` and `supports`, so
list pages prefetch them (`publication_prefetches`) and check many courses in fixed queries.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from courses.disclosures.models import (
    CommercialSupport,
    FinancialDisclosure,
    FinancialRelationship,
    Mitigation,
)
from courses.models import Course, Disclosure, Faculty

# Who plans an activity (ACCME Standard 3): at least one of them must be on its roster.
PLANNING_ROLES = frozenset({Disclosure.Role.PLANNER, Disclosure.Role.DIRECTOR})


def publication_prefetches(*, today: datetime.date | None = None,
                           with_people: bool = True) -> list:
    """Prefetches that let `activity_disclosures` run without queries; `with_people=False`
    leaves out who reviewed each mitigation and recorded each support, which learners are not
    shown (so the course page reads no user table)."""
    today = today or timezone.localdate()
    current = (FinancialDisclosure.objects.filter(valid_until__gt=today)
               .order_by("-signed_at").prefetch_related("relationships"))
    mitigations, supports = Mitigation.objects.all(), CommercialSupport.objects.all()
    if with_people:
        mitigations = mitigations.select_related("reviewer")
        supports = supports.select_related("recorded_by")
    return [
        Prefetch("sessions__faculty__financial_disclosures", queryset=current),
        Prefetch("disclosures__faculty__financial_disclosures", queryset=current),
        Prefetch("mitigations", queryset=mitigations),
        Prefetch("supports", queryset=supports),
    ]


@dataclass
class RelationshipRow:
    relationship: FinancialRelationship
    mitigation: Mitigation | None

    @property
    def decided(self) -> bool:
        if self.mitigation is None:
            return False
        return not self.relationship.is_owner_or_employee or bool(self.mitigation.owner_exception)

    @property
    def relevant(self) -> bool:
        return self.mitigation is not None and self.mitigation.relevant

    @property
    def shown_to_learners(self) -> bool:
        """Relevant, or not yet reviewed (so shown, as still being mitigated)."""
        return self.mitigation is None or self.mitigation.relevant


@dataclass
class PersonRow:
    person: Faculty
    roles: list[str]
    disclosure: FinancialDisclosure | None
    relationships: list[RelationshipRow] = field(default_factory=list)

    @property
    def relevant(self) -> list[RelationshipRow]:
        return [row for row in self.relationships if row.relevant]

    @property
    def shown_to_learners(self) -> list[RelationshipRow]:
        return [row for row in self.relationships if row.shown_to_learners]

    @property
    def undecided(self) -> list[RelationshipRow]:
        return [row for row in self.relationships if not row.decided]


def current_disclosure(person: Faculty, *, on: datetime.date) -> FinancialDisclosure | None:
    """The latest disclosure valid on `on` (12 months from signing)."""
    valid = [d for d in person.financial_disclosures.all() if d.is_current(on)]
    return max(valid, key=lambda d: d.signed_at, default=None)


def person_cleared_for(*, person: Faculty, course: Course,
                       on: datetime.date | None = None) -> bool:
    """A current disclosure whose every relationship is reviewed for this course."""
    disclosure = current_disclosure(person, on=on or timezone.localdate())
    if disclosure is None:
        return False
    mitigations = {m.relationship_id: m for m in course.mitigations.all()}
    return all(RelationshipRow(r, mitigations.get(r.pk)).decided
               for r in disclosure.relationships.all())


def activity_people(course: Course) -> dict[int, tuple[Faculty, list[str]]]:
    """Everyone in control of content: faculty of its sessions and its roster, with roles."""
    people: dict[int, tuple[Faculty, list[str]]] = {}
    for session in course.sessions.all():
        if session.is_cancelled:
            continue
        for person in session.faculty.all():
            people.setdefault(person.pk, (person, []))
    for entry in course.disclosures.all():
        person, roles = people.setdefault(entry.faculty_id, (entry.faculty, []))
        label = str(entry.get_role_display())
        if label not in roles:
            roles.append(label)
    for _person, roles in people.values():
        if not roles:
            roles.append(str(Disclosure.Role.FACULTY.label))
    return people


def activity_disclosures(course: Course, *, on: datetime.date | None = None) -> list[PersonRow]:
    on = on or timezone.localdate()
    mitigations = {m.relationship_id: m for m in course.mitigations.all()}
    rows = []
    for person, roles in activity_people(course).values():
        disclosure = current_disclosure(person, on=on)
        row = PersonRow(person=person, roles=roles, disclosure=disclosure)
        if disclosure is not None:
            row.relationships = [RelationshipRow(r, mitigations.get(r.pk))
                                 for r in disclosure.relationships.all()]
        rows.append(row)
    return sorted(rows, key=lambda row: row.person.full_name)


def disclosure_publication_problems(*, course: Course, on: datetime.date | None = None
                                    ) -> list[str]:
    """Standard 3 and 4 rules a course must meet before it is submitted or published."""
    on = on or timezone.localdate()
    rows = activity_disclosures(course, on=on)
    problems = []
    if not any(entry.role in PLANNING_ROLES for entry in course.disclosures.all()):
        problems.append("List the course director and the planners on the Disclosures page: "
                        "every activity needs at least its planners' disclosures.")
    missing = [row.person.full_name for row in rows if row.disclosure is None]
    if missing:
        problems.append("Everyone in control of content needs a current signed disclosure; "
                        f"missing or lapsed for {', '.join(missing)}.")
    undecided = [f"{row.person.full_name} ({item.relationship.company})"
                 for row in rows for item in row.undecided]
    if undecided:
        problems.append("Review each disclosed financial relationship and record its "
                        f"mitigation: {', '.join(undecided)}.")
    problems.extend(support_publication_problems(course=course))
    return problems


def activity_first_day(course: Course) -> datetime.date | None:
    if course.format == Course.Format.ENDURING:
        return course.release_date
    starts = [s.starts_at for s in course.sessions.all() if not s.is_cancelled]
    return timezone.localdate(min(starts)) if starts else None


def support_publication_problems(*, course: Course) -> list[str]:
    """ACCME Standard 4.2: a written agreement, signed before the support is provided."""
    problems = []
    first_day = activity_first_day(course)
    for support in course.supports.all():
        if not support.agreement or support.agreement_signed_on is None:
            problems.append(f"Upload the signed written agreement with {support.supporter} "
                            "and the date it was signed.")
        elif first_day is not None and support.agreement_signed_on >= first_day:
            problems.append(f"The agreement with {support.supporter} must be signed before the "
                            f"activity (it starts {first_day:%-d %B %Y}).")
    return problems


@dataclass
class LearnerDisclosure:
    """What learners see before the content (Standard 3.5 and 4.4)."""

    people: list[PersonRow]
    with_relevant: list[PersonRow]
    supporters: list[CommercialSupport]

    @property
    def all_mitigated(self) -> bool:
        return all(item.decided for row in self.with_relevant
                   for item in row.shown_to_learners)


def learner_disclosure(course: Course, *, on: datetime.date | None = None) -> LearnerDisclosure:
    people = activity_disclosures(course, on=on)
    return LearnerDisclosure(people=people,
                             with_relevant=[row for row in people if row.shown_to_learners],
                             supporters=list(course.supports.all()))


def course_with_disclosures(*, pk: int) -> Course:
    """One course with everything `activity_disclosures` reads."""
    from courses.models import Disclosure, Session

    return (Course.objects.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.prefetch_related("faculty")),
        Prefetch("disclosures", queryset=Disclosure.objects.select_related("faculty")),
        *publication_prefetches(), "directors")
        .get(pk=pk))
