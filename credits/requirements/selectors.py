"""Progress of a clinician's credits against the renewal requirements of each of their licences.

The rules are the requirement set in force on the day asked (`today`, injectable): the active set
of the licence's state and profession with the latest `effective_from` not after it. The cycle
is the set's `cycle_months` ending on its anchor (`cycle_ends_on`): (end - cycle, end]. Credits
count when the record is active, of a credit type the set accepts, and completed inside the
cycle; one-time topics count records of any date. A record counts toward a topic when its course
(or external activity) is tagged with that topic, toward the live-only portion when its course
is live, hybrid or a regularly scheduled series; credit above the total in the previous cycle
counts toward this one up to the set's carry-over allowance.

The sums come from one aggregate query whatever the number of licences or records, so the
dashboard's query count is fixed (see tests/credits/requirements/test_requirements_progress.py).
"""
import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Licence
from courses.dates import long_date
from courses.models import Course, Topic
from credits.ledger.models import CreditRecord
from credits.requirements.models import RequirementSet, TopicRequirement

ZERO = Decimal("0")
LIVE_FORMATS = (Course.Format.LIVE, Course.Format.HYBRID, Course.Format.RSS)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, clamped to the month's end (31 May - 3 months = 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cycle_ends_on(requirement_set: RequirementSet, licence: Licence, user) -> datetime.date:
    """The last day of the licence's current cycle under the set's anchor (`user` holds it)."""
    expires_on = licence.expires_on
    anchor = requirement_set.cycle_anchor
    if anchor == RequirementSet.CycleAnchor.CALENDAR_YEARS:
        return datetime.date(expires_on.year - 1, 12, 31)
    if anchor == RequirementSet.CycleAnchor.BIRTHDAY and user.birth_month and user.birth_day:
        last_day = calendar.monthrange(expires_on.year, user.birth_month)[1]
        return datetime.date(expires_on.year, user.birth_month, min(user.birth_day, last_day))
    # The licence expiry, and the birthday anchor for a holder who gave no birthday.
    return expires_on


def number_display(amount: Decimal) -> str:
    """'6.5', '10', '0.25' ('6,5' in Spanish): no trailing zeros in running text."""
    return number_format(Decimal(f"{amount.normalize():f}")) if amount else "0"


def credits_display(amount: Decimal) -> str:
    """'6.5 credits', '1 credit'."""
    # ngettext takes a whole number: 1 credit, but 0.5 and 6.5 credits.
    return ngettext("%(amount)s credit", "%(amount)s credits", 1 if amount == 1 else 2) % {
        "amount": number_display(amount)}


def topic_phrase(topic: Topic) -> str:
    """The topic's name inside a sentence: lower-cased unless it holds a proper noun
    ('Board of Registration regulations' keeps its capitals, 'Risk management' does not)."""
    name = topic.name
    if any(char.isupper() for char in name[1:]):
        return name
    return name[:1].lower() + name[1:]


@dataclass
class RequirementProgress:
    """One line of a requirement set: the total, or one mandated topic."""

    label: str
    earned: Decimal
    required: Decimal
    due_on: datetime.date
    topic: Topic | None = None
    one_time: bool = False
    live_only: bool = False
    carried_over: Decimal = ZERO  # of `earned`, from the previous cycle
    contributing_records: list = field(default_factory=list)

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.earned, ZERO)

    @property
    def is_met(self) -> bool:
        return self.earned >= self.required

    @property
    def earned_display(self) -> str:
        return credits_display(self.earned)

    @property
    def required_display(self) -> str:
        return credits_display(self.required)

    @property
    def carried_over_sentence(self) -> str:
        """'Includes 5 credits carried over from the previous cycle.', or nothing."""
        if not self.carried_over:
            return ""
        return _("Includes %(amount)s carried over from the previous cycle.") % {
            "amount": credits_display(self.carried_over)}

    @property
    def figures(self) -> str:
        """'6.5 of 10 credits'."""
        return _("%(earned)s of %(required)s") % {"earned": number_display(self.earned),
                                                  "required": credits_display(self.required)}

    @property
    def percent(self) -> int:
        """Share of the requirement earned, 0-100, for the progress chart."""
        if not self.required:
            return 100
        return min(100, int(self.earned * 100 / self.required))

    @property
    def status_sentence(self) -> str:
        """'6.5 credits of risk management still needed by 14 March 2027', or what is met."""
        values = {"topic": topic_phrase(self.topic) if self.topic else "",
                  "earned": credits_display(self.earned),
                  "shortfall": credits_display(self.shortfall), "day": long_date(self.due_on)}
        if self.live_only:
            return (_("Met: %(earned)s from live activities earned.") if self.is_met
                    else _("%(shortfall)s from live activities still needed by %(day)s")) % values
        if self.is_met:
            met = _("Met: %(earned)s of %(topic)s earned.") if self.topic else _(
                "Met: %(earned)s earned.")
            return met % values
        if self.one_time:
            needed = (_("%(shortfall)s of %(topic)s still needed once by %(day)s") if self.topic
                      else _("%(shortfall)s still needed once by %(day)s"))
        else:
            needed = (_("%(shortfall)s of %(topic)s still needed by %(day)s") if self.topic
                      else _("%(shortfall)s still needed by %(day)s"))
        return needed % values


@dataclass
class LicenceProgress:
    licence: Licence
    requirement_set: RequirementSet
    cycle_starts_on: datetime.date  # first day of the cycle
    cycle_ends_on: datetime.date  # the licence expiry date, inclusive
    total: RequirementProgress
    topics: list[RequirementProgress]  # the live-only line (if any), then each mandated topic

    @property
    def requirements(self) -> list[RequirementProgress]:
        return [self.total, *self.topics]

    @property
    def is_met(self) -> bool:
        return all(requirement.is_met for requirement in self.requirements)


def requirement_sets_in_force(*, states: set[str], professions: set[str],
                              today: datetime.date) -> dict[tuple[str, str], RequirementSet]:
    """The set in force on `today` per (state, profession), with its topic rows: the active one
    with the latest date that has come. Two queries."""
    sets = (RequirementSet.objects
            .filter(is_active=True, effective_from__lte=today, state__in=states,
                    profession__in=professions)
            .order_by("-effective_from")
            .prefetch_related(Prefetch("topic_requirements",
                                       queryset=TopicRequirement.objects.select_related("topic"))))
    in_force = {}
    for requirement_set in sets:  # the latest first (no DISTINCT ON: SQLite runs it too)
        in_force.setdefault((requirement_set.state, requirement_set.profession), requirement_set)
    return in_force


def _credit_sums(*, user, credit_types: set[str],
                 windows: list[tuple[datetime.date, datetime.date]]) -> dict:
    """Sums of the user's active credit per (credit type, topic id or None for all records):
    one sum per cycle window (`window_<i>`), one of live activities per window (`live_<i>`) and
    one over all time (`ever`), in one query."""
    if not credit_types:
        return {}
    records = CreditRecord.objects.filter(
        user=user, status=CreditRecord.Status.ACTIVE, credit_type__in=credit_types).order_by()
    sums = {}
    for index, (start, end) in enumerate(windows):
        in_window = Q(completed_on__gt=start, completed_on__lte=end)
        sums[f"window_{index}"] = Sum("amount", filter=in_window)
        sums[f"live_{index}"] = Sum("amount", filter=in_window & Q(course__format__in=LIVE_FORMATS))
    sums["ever"] = Sum("amount")
    # A record tagged with two topics appears once per topic below, so the totals come from a
    # separate, topic-less branch of the same UNION ALL query rather than from the topic rows.
    totals = records.annotate(topic=Value(None, output_field=IntegerField())) \
        .values("credit_type", "topic").annotate(**sums)
    per_topic = records.annotate(topic=Coalesce("course__topics", "external_activity__topics")) \
        .filter(topic__isnull=False).values("credit_type", "topic").annotate(**sums)
    return {(row["credit_type"], row["topic"]): row for row in totals.union(per_topic, all=True)}


def _earned(sums: dict, *, credit_types: list[str], topic_id: int | None, column: str) -> Decimal:
    return sum((sums.get((credit_type, topic_id), {}).get(column) or ZERO
                for credit_type in credit_types), ZERO)


def _cycle(requirement_set: RequirementSet, licence: Licence, user,
           ) -> tuple[datetime.date, datetime.date]:
    """(day before the cycle's first day, last day)."""
    end = cycle_ends_on(requirement_set, licence, user)
    return months_before(end, requirement_set.cycle_months), end


def requirement_progress_for(*, user, today: datetime.date | None = None,
                             ) -> list[LicenceProgress]:
    """Progress per licence of `user` that has a set in force on `today` (the local date when
    not given), soonest expiry first.

    Four queries at most: licences, requirement sets, their topic rows, and the credit sums.
    """
    today = today or timezone.localdate()
    licences = list(Licence.objects.filter(user=user).order_by("expires_on", "pk"))
    if not licences:
        return []
    sets = requirement_sets_in_force(
        states={licence.state for licence in licences},
        professions={licence.profession for licence in licences}, today=today)
    matched = [(licence, sets[(licence.state, licence.profession)]) for licence in licences
               if (licence.state, licence.profession) in sets]
    if not matched:
        return []
    cycles = {licence.pk: _cycle(rs, licence, user) for licence, rs in matched}
    previous_cycles = {licence.pk: (months_before(cycles[licence.pk][0], rs.cycle_months),
                                    cycles[licence.pk][0])
                       for licence, rs in matched if rs.carry_over_maximum}
    windows = sorted(set(cycles.values()) | set(previous_cycles.values()))
    credit_types = {value for _, rs in matched for value in rs.accepted_credit_types}
    sums = _credit_sums(user=user, credit_types=credit_types, windows=windows)

    progress = []
    for licence, requirement_set in matched:
        cycle = cycles[licence.pk]
        index = windows.index(cycle)
        accepted = requirement_set.accepted_credit_types
        earned = _earned(sums, credit_types=accepted, topic_id=None, column=f"window_{index}")
        carried_over = ZERO
        if licence.pk in previous_cycles:
            before = _earned(sums, credit_types=accepted, topic_id=None,
                             column=f"window_{windows.index(previous_cycles[licence.pk])}")
            carried_over = min(max(before - requirement_set.total_credits, ZERO),
                               requirement_set.carry_over_maximum)
        total = RequirementProgress(
            label=_("All credits"), required=requirement_set.total_credits, due_on=cycle[1],
            earned=earned + carried_over, carried_over=carried_over)
        lines = []
        if requirement_set.live_minimum:
            lines.append(RequirementProgress(
                label=_("Live activities"), required=requirement_set.live_minimum,
                due_on=cycle[1], live_only=True,
                earned=_earned(sums, credit_types=accepted, topic_id=None,
                               column=f"live_{index}")))
        lines += [
            RequirementProgress(
                label=topic_requirement.topic.name, topic=topic_requirement.topic,
                required=topic_requirement.minimum_credits, due_on=cycle[1],
                one_time=topic_requirement.one_time,
                earned=_earned(sums, credit_types=accepted, topic_id=topic_requirement.topic_id,
                               column="ever" if topic_requirement.one_time
                               else f"window_{index}"))
            for topic_requirement in requirement_set.topic_requirements.all()
        ]
        progress.append(LicenceProgress(
            licence=licence, requirement_set=requirement_set,
            cycle_starts_on=cycle[0] + datetime.timedelta(days=1), cycle_ends_on=cycle[1],
            total=total, topics=lines))
    return progress


def requirement_progress_with_records_for(*, user, today: datetime.date | None = None,
                                          ) -> list[LicenceProgress]:
    """As `requirement_progress_for`, with each requirement's contributing credit records listed
    (for the requirements page). Three more queries: the records and their two topic sets."""
    progress = requirement_progress_for(user=user, today=today)
    if not progress:
        return progress
    credit_types = {value for item in progress
                    for value in item.requirement_set.accepted_credit_types}
    records = list(
        CreditRecord.objects.filter(user=user, status=CreditRecord.Status.ACTIVE,
                                    credit_type__in=credit_types)
        .select_related("course", "external_activity")
        .prefetch_related("course__topics", "external_activity__topics")
        .order_by("-completed_on", "-pk"))
    topic_ids_by_record = {
        record.pk: {topic.pk for topic in (record.course or record.external_activity).topics.all()}
        for record in records
    }
    for item in progress:
        accepted = set(item.requirement_set.accepted_credit_types)
        first_day, last_day = item.cycle_starts_on, item.cycle_ends_on
        for record in records:
            if record.credit_type not in accepted:
                continue
            in_cycle = first_day <= record.completed_on <= last_day
            if in_cycle:
                item.total.contributing_records.append(record)
            for requirement in item.topics:
                if requirement.live_only:
                    counts = in_cycle and record.course is not None and (
                        record.course.format in LIVE_FORMATS)
                else:
                    counts = requirement.topic.pk in topic_ids_by_record[record.pk] and (
                        in_cycle or requirement.one_time)
                if counts:
                    requirement.contributing_records.append(record)
    return progress
