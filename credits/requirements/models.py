"""Licence renewal requirements held as data, so the CME office can edit them as boards change.

A requirement set is what one licensing board asks of one profession per renewal cycle (total
credits of accepted types, a live-only portion, a carry-over allowance), with the mandated
topics inside it. Sets are versioned by the date they take effect: a board's change is entered
as a new set with a later `effective_from`, and progress reads the set in force on the day it is
asked (docs/licence-rules.md). The cycle's anchor is chosen per set (see
credits.requirements.cycles).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.choices import US_STATES
from courses.credittypes.selectors import credit_type_catalog


class RequirementSet(models.Model):
    class CycleAnchor(models.TextChoices):
        LICENCE_EXPIRY = "licence_expiry", "Ends on the licence's expiry date"
        BIRTHDAY = "birthday", "Ends on the holder's birthday in the year the licence expires"
        CALENDAR_YEARS = "calendar_years", ("Whole calendar years ending 31 December before the "
                                            "year the licence expires")

    state = models.CharField("jurisdiction", max_length=2, choices=US_STATES)
    profession = models.CharField(max_length=30,
                                  help_text="A profession's code (Admin → Professions).")
    name = models.CharField(max_length=150,
                            help_text="For example 'Massachusetts physician licence renewal'.")
    effective_from = models.DateField(
        "in force from",
        help_text="The first day these rules apply. Enter a board's change as a new set with a "
                  "later date: progress keeps the current set until that day.")
    cycle_months = models.PositiveSmallIntegerField("cycle length (months)")
    cycle_anchor = models.CharField(max_length=20, choices=CycleAnchor.choices,
                                    default=CycleAnchor.LICENCE_EXPIRY)
    total_credits = models.DecimalField(max_digits=6, decimal_places=2)
    accepted_credit_types = models.JSONField(
        default=list, help_text="Credit types that count toward this requirement set.")
    live_minimum = models.DecimalField(
        "live-only minimum", max_digits=6, decimal_places=2, default=0,
        help_text="Credits of the total that must come from live activities (live, hybrid or "
                  "regularly scheduled series); 0 for none.")
    carry_over_maximum = models.DecimalField(
        max_digits=6, decimal_places=2, default=0,
        help_text="Credits above the total earned in the previous cycle that count toward this "
                  "one, at most; 0 for none.")
    source_note = models.TextField(
        blank=True, help_text="Where the rules come from and what the portal does not track.")
    source_url = models.URLField(blank=True, max_length=300)
    source_read_on = models.DateField("source read on", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "profession", "-effective_from"]
        constraints = [
            # On any day a licence must match at most one set, or its progress would be
            # ambiguous: the set in force is the active one with the latest date not after it.
            models.UniqueConstraint(fields=["state", "profession", "effective_from"],
                                    condition=Q(is_active=True),
                                    name="requirement_set_one_active_per_licence_kind_and_date"),
            models.CheckConstraint(condition=Q(cycle_months__gt=0),
                                   name="requirement_set_cycle_positive"),
            models.CheckConstraint(condition=Q(total_credits__gte=0),
                                   name="requirement_set_total_not_negative"),
            models.CheckConstraint(condition=Q(live_minimum__gte=0)
                                   & Q(live_minimum__lte=models.F("total_credits")),
                                   name="requirement_set_live_minimum_within_total"),
            models.CheckConstraint(condition=Q(carry_over_maximum__gte=0),
                                   name="requirement_set_carry_over_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.effective_from:%d %b %Y})"

    @property
    def accepted_credit_type_labels(self) -> list[str]:
        catalog = credit_type_catalog()
        return [catalog[value].name for value in self.accepted_credit_types if value in catalog]


class TopicRequirement(models.Model):
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE,
                                        related_name="topic_requirements")
    topic = models.ForeignKey("courses.Topic", on_delete=models.PROTECT,
                              related_name="requirements")
    minimum_credits = models.DecimalField(max_digits=5, decimal_places=2)
    one_time = models.BooleanField(
        default=False,
        help_text="Once ever, not every cycle: credits from any date count.")

    class Meta:
        ordering = ["one_time", "-minimum_credits", "topic__name"]
        constraints = [
            models.UniqueConstraint(fields=["requirement_set", "topic"],
                                    name="topic_requirement_once_per_set"),
            models.CheckConstraint(condition=Q(minimum_credits__gt=0),
                                   name="topic_requirement_minimum_positive"),
        ]

    def __str__(self) -> str:
        suffix = " (one time)" if self.one_time else ""
        return f"{self.topic}: {self.minimum_credits}{suffix}"


class RequirementSetChange(models.Model):
    """The history of a requirement set: each save by the office with the values it left,
    topic minimums included, so an auditor can say which rules a progress figure used."""

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.PROTECT,
                                        related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    values = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requirement_set.name} changed {self.changed_at:%Y-%m-%d %H:%M}"
