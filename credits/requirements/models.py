"""Licence renewal requirements held as data, so the CME office can edit them as boards change.

A requirement set is what one licensing board asks of one profession per renewal cycle (total
credits of accepted types), with the mandated topics inside it. The clinician's cycle is anchored
on their licence expiry date (see credits.requirements.selectors).
"""
from django.db import models
from django.db.models import Q

from accounts.choices import US_STATES, Profession
from courses.credittypes.selectors import credit_type_catalog


class RequirementSet(models.Model):
    state = models.CharField("jurisdiction", max_length=2, choices=US_STATES)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    name = models.CharField(max_length=150,
                            help_text="For example 'Massachusetts physician licence renewal'.")
    cycle_months = models.PositiveSmallIntegerField(
        "cycle length (months)", help_text="The renewal cycle ends on the licence expiry date.")
    total_credits = models.DecimalField(max_digits=6, decimal_places=2)
    accepted_credit_types = models.JSONField(
        default=list, help_text="Credit types that count toward this requirement set.")
    source_note = models.TextField(
        blank=True, help_text="Where the rules come from and what the portal does not track.")
    source_url = models.URLField(blank=True, max_length=300)
    is_active = models.BooleanField("active", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "profession"]
        constraints = [
            # A licence must match at most one set, or its progress would be ambiguous.
            models.UniqueConstraint(fields=["state", "profession"], condition=Q(is_active=True),
                                    name="requirement_set_one_active_per_licence_kind"),
            models.CheckConstraint(condition=Q(cycle_months__gt=0),
                                   name="requirement_set_cycle_positive"),
            models.CheckConstraint(condition=Q(total_credits__gte=0),
                                   name="requirement_set_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

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
