"""The CME office's dashboard figures, one selector each, with fixed query counts (pinned in
tests/credits/reports/test_dashboard.py): credits issued per month by credit type, learners by
profession, activities by format, assignment completion by group, licence compliance."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.choices import profession_choices
from accounts.models import Licence, User
from accounts.roles import Role
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course
from credits.ledger.models import CreditRecord
from credits.requirements.models import RequirementSet
from credits.requirements.selectors import (
    LIVE_FORMATS,
    cycle_ends_on,
    months_before,
    requirement_sets_in_force,
)

ZERO = Decimal(0)


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        starts.append(datetime.date(index // 12, index % 12 + 1, 1))
    return starts


@dataclass(frozen=True)
class MonthlyCredits:
    months: list[datetime.date]
    credit_types: list[str]  # credit type codes, in the order of the series
    amounts: dict[tuple[int, int], Decimal]  # (month index, credit type index) -> credits

    @property
    def credit_type_labels(self) -> list[str]:
        catalog = credit_type_catalog()
        return [catalog[code].name for code in self.credit_types]

    def rows(self) -> list[tuple[datetime.date, list[tuple[str, Decimal]]]]:
        """The text alternative: (month, [(credit type, credits), ...]) per month."""
        labels = self.credit_type_labels
        return [(month, [(label, self.amounts.get((m, t), ZERO))
                         for t, label in enumerate(labels)])
                for m, month in enumerate(self.months)]


def credits_issued_per_month(*, months: int = 12,
                             today: datetime.date | None = None) -> MonthlyCredits:
    """Active credit claimed in each of the last `months` calendar months (the portal's time
    zone), per credit type: one query."""
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=zone)
    rows = (CreditRecord.objects.filter(status=CreditRecord.Status.ACTIVE, claimed_at__gte=since)
            .annotate(month=TruncMonth("claimed_at", tzinfo=zone))
            .values("month", "credit_type").annotate(total=Sum("amount")).order_by())
    by_month = {start: index for index, start in enumerate(starts)}
    amounts = {}
    collected = [(row["month"].date() if hasattr(row["month"], "date") else row["month"],
                  row["credit_type"], row["total"]) for row in rows]
    present = {credit_type for _, credit_type, _ in collected}
    types = [code for code in credit_type_catalog() if code in present]
    types += sorted(present - set(types))  # credit of a type since deleted still counts
    for month, credit_type, total in collected:
        if month in by_month:
            amounts[(by_month[month], types.index(credit_type))] = total
    return MonthlyCredits(months=starts, credit_types=types, amounts=amounts)


def learners_by_profession() -> list[tuple[str, int]]:
    """Active accounts with the clinician role, per profession, largest first: one query."""
    counts = dict(User.objects.filter(is_active=True, groups__name=Role.CLINICIAN)
                  .values_list("profession").annotate(n=Count("pk", distinct=True)).order_by())
    labels = dict(profession_choices())
    return sorted(((labels.get(key, key), n) for key, n in counts.items() if n),
                  key=lambda item: (-item[1], item[0]))


def activities_by_format() -> list[tuple[str, int]]:
    """Published activities per format, in the order of Course.Format: one query."""
    counts = dict(Course.objects.filter(status=Course.Status.PUBLISHED)
                  .values_list("format").annotate(n=Count("pk")).order_by())
    return [(label, counts[value]) for value, label in Course.Format.choices if counts.get(value)]


@dataclass(frozen=True)
class Compliance:
    requirement_set: RequirementSet | None
    met: int
    on_track: int
    behind: int

    @property
    def total(self) -> int:
        return self.met + self.on_track + self.behind

    @property
    def on_track_or_met(self) -> int:
        return self.met + self.on_track


def licence_compliance(*, state: str = "MA", profession: str = "physician",
                       today: datetime.date | None = None) -> Compliance:
    """Licensees of one kind (current licences) by where they stand in their renewal cycle under
    the requirement set in force today, counted as My learning counts it (the set's cycle
    anchor, live-only portion, carry-over and topics): met (every line), on track (not met, but
    total credit at least in proportion to the share of the cycle gone), behind. Four queries.
    """
    today = today or timezone.localdate()
    requirement_set = requirement_sets_in_force(
        states={state}, professions={profession}, today=today).get((state, profession))
    if requirement_set is None:
        return Compliance(None, 0, 0, 0)
    licences = Licence.objects.filter(state=state, profession=profession, expires_on__gte=today,
                                      user__is_active=True)
    holders = {row["user_id"]: row for row in
               licences.values("user_id", "expires_on", "user__birth_month", "user__birth_day")
               .order_by("user_id", "expires_on")}
    records = (CreditRecord.objects
               .filter(status=CreditRecord.Status.ACTIVE, user__in=licences.values("user_id"),
                       credit_type__in=requirement_set.accepted_credit_types)
               .annotate(topic=Coalesce("course__topics", "external_activity__topics"))
               .values_list("pk", "user_id", "completed_on", "amount", "topic", "course__format"))
    per_user: dict[int, list[tuple]] = {}
    for row in records:
        per_user.setdefault(row[1], []).append(row)
    topics = list(requirement_set.topic_requirements.all())
    cycle_months = requirement_set.cycle_months
    met = on_track = behind = 0
    for user_id, holder in holders.items():
        ends_on = cycle_ends_on(
            requirement_set, Licence(expires_on=holder["expires_on"]),
            User(birth_month=holder["user__birth_month"], birth_day=holder["user__birth_day"]))
        starts_after = months_before(ends_on, cycle_months)
        rows = per_user.get(user_id, [])

        def earned(after: datetime.date, until: datetime.date, live_only: bool = False,
                   rows=rows) -> Decimal:
            # A record tagged with several topics appears once per topic: count it once.
            return sum({pk: amount for pk, _, day, amount, _, course_format in rows
                        if after < day <= until
                        and (not live_only or course_format in LIVE_FORMATS)}.values(), ZERO)

        total = earned(starts_after, ends_on)
        if requirement_set.carry_over_maximum:
            before = earned(months_before(starts_after, cycle_months), starts_after)
            total += min(max(before - requirement_set.total_credits, ZERO),
                         requirement_set.carry_over_maximum)
        lines_met = (total >= requirement_set.total_credits
                     and earned(starts_after, ends_on, True) >= requirement_set.live_minimum)
        for line in topics:
            line_earned = sum((amount for pk, _, day, amount, topic, _ in rows
                               if topic == line.topic_id
                               and (line.one_time or starts_after < day <= ends_on)), ZERO)
            lines_met = lines_met and line_earned >= line.minimum_credits
        if lines_met:
            met += 1
            continue
        elapsed = (today - starts_after).days / max((ends_on - starts_after).days, 1)
        if total >= requirement_set.total_credits * Decimal(str(round(min(elapsed, 1), 4))):
            on_track += 1
        else:
            behind += 1
    return Compliance(requirement_set, met, on_track, behind)
