"""The figures a Joint Accreditation self-study asks for, over the accreditation term: the share
of activities that carry IPCE credit (planned by and for the team), and participation by
profession (learners, activities and credit per type). Fixed query counts, pinned in
tests/credits/reports/test_interprofessional.py."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from courses.credittypes.models import Profession
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course, CreditDesignation, Session
from credits.ledger.models import CreditRecord
from credits.requirements.selectors import months_before

IPCE = "ipce"
DEFAULT_TERM_MONTHS = 48


@dataclass(frozen=True)
class AccreditationTerm:
    starts_on: datetime.date
    ends_on: datetime.date


def accreditation_term(today: datetime.date | None = None) -> AccreditationTerm:
    """From settings.ACCREDITATION_TERM_STARTS_ON (or four years back) to today."""
    today = today or timezone.localdate()
    starts_on = settings.ACCREDITATION_TERM_STARTS_ON or (
        months_before(today, DEFAULT_TERM_MONTHS) + datetime.timedelta(days=1))
    return AccreditationTerm(starts_on=starts_on, ends_on=today)


@dataclass(frozen=True)
class IpceShare:
    activities: int
    with_ipce: int

    @property
    def percent(self) -> int:
        return round(self.with_ipce * 100 / self.activities) if self.activities else 0


def activities_in_term(term: AccreditationTerm):
    """Activities offered in the term: a session held in it, or self-paced material available
    during it (released before its end, not terminated before its start). Drafts and activities
    in review were not offered."""
    session_in_term = Session.objects.filter(
        course=OuterRef("pk"), is_cancelled=False,
        starts_at__date__range=(term.starts_on, term.ends_on))
    available = (Q(format__in=Course.SELF_PACED_FORMATS, published_at__date__lte=term.ends_on)
                 & (Q(termination_date__isnull=True) | Q(termination_date__gte=term.starts_on)))
    return (Course.objects.filter(status__in=[Course.Status.PUBLISHED, Course.Status.ARCHIVED])
            .filter(Exists(session_in_term) | available))


def ipce_share(term: AccreditationTerm) -> IpceShare:
    """Activities offered in the term, and how many carry IPCE credit: one query."""
    with_ipce = CreditDesignation.objects.filter(course=OuterRef("pk"), credit_type=IPCE)
    counts = activities_in_term(term).aggregate(
        activities=Count("pk"), with_ipce=Count("pk", filter=Q(Exists(with_ipce))))
    return IpceShare(activities=counts["activities"], with_ipce=counts["with_ipce"])


@dataclass(frozen=True)
class ProfessionParticipation:
    profession: str  # the profession's name
    learners: int
    activities: int
    credits: list[tuple[str, Decimal]]  # (credit type code, amount), in the office's order

    @property
    def credits_display(self) -> list[str]:
        """'12.50 ANCC contact hours', one per credit type."""
        catalog = credit_type_catalog()
        return [catalog[code].amount_display(amount) for code, amount in self.credits]


def participation_by_profession(term: AccreditationTerm) -> list[ProfessionParticipation]:
    """Learners, activities and active credit completed in the term, per learner's profession,
    most learners first: three queries (profession names, the counts, the credit per type)."""
    names = dict(Profession.objects.values_list("code", "name"))
    records = CreditRecord.objects.filter(
        status=CreditRecord.Status.ACTIVE,
        completed_on__range=(term.starts_on, term.ends_on)).order_by()
    counts = records.values("user__profession").annotate(
        learners=Count("user", distinct=True), activities=Count("course", distinct=True))
    amounts: dict[str, dict[str, Decimal]] = {}
    for row in records.values("user__profession", "credit_type").annotate(amount=Sum("amount")):
        amounts.setdefault(row["user__profession"], {})[row["credit_type"]] = row["amount"]
    catalog = credit_type_catalog()
    order = list(catalog)
    rows = []
    for row in counts:
        code = row["user__profession"]
        per_type = sorted(amounts.get(code, {}).items(),
                          key=lambda item: order.index(item[0]) if item[0] in order else 999)
        rows.append(ProfessionParticipation(
            profession=names.get(code, code or "Not stated"), learners=row["learners"],
            activities=row["activities"],
            credits=per_type))
    return sorted(rows, key=lambda row: (-row.learners, row.profession))
