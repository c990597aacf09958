"""A credit type the office may designate: its units, the accreditor's statement, who may claim
it, its step and ceiling, the formats that may carry it, its identifier and where it is reported;
and the professions, each with the credit types it may claim.

Rows are keyed by `code`, the value designations, credit records and external activities store,
so moving the portal from a list in code to these rows changed no stored amount or type.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class Profession(models.Model):
    """A profession of the care team, keyed by the code profiles and licences store; the
    profile offers these rows (`accounts.choices.profession_choices`). Which credit types it
    may claim is the one relation `CreditType.eligible_professions` (`profession.credit_types`
    from this side)."""

    code = models.SlugField(max_length=30, unique=True,
                            help_text="Stored on profiles and licences; fixed once saved.")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=100)
    ce_broker_code = models.CharField(
        "CE Broker profession code", max_length=10, blank=True,
        help_text="The code CE Broker's rosters use for it (its 'Profession Codes' list, which "
                  "differs by state for some professions); empty: not reported to CE Broker.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CreditType(models.Model):
    class ReportedTo(models.TextChoices):
        PARS = "pars", "ACCME PARS"
        CPE_MONITOR = "cpe_monitor", "CPE Monitor (NABP)"
        CE_BROKER = "ce_broker", "CE Broker"
        NONE = "none", "Not reported by the portal"

    code = models.SlugField(max_length=20, unique=True,
                            help_text="Stored on designations and credit records; never change "
                                      "it once credit of this type exists.")
    name = models.CharField(max_length=100, help_text="For example 'AMA PRA Category 1 "
                                                      "Credit™' (with its trademark sign).")
    unit_singular = models.CharField(max_length=100,
                                     help_text="After exactly 1.00: 'AMA PRA Category 1 Credit™'.")
    unit_plural = models.CharField(max_length=100,
                                   help_text="After any other amount: 'AMA PRA Category 1 "
                                             "Credits™'.")
    accreditor = models.CharField(max_length=200, blank=True)
    statement = models.TextField(
        "designation statement", blank=True,
        help_text="The accreditor's wording, printed on the course page and certificate. "
                  "{provider} is the hospital's name, {maximum} the designated amount with its "
                  "unit, {learning_format} 'live activity' or 'enduring material'.")
    open_to_whole_team = models.BooleanField(
        default=False, help_text="Every profession may claim it (IPCE, participation).")
    eligible_professions = models.ManyToManyField(
        Profession, blank=True, related_name="credit_types",
        help_text="The professions who may claim it.")
    step = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.25"),
        help_text="Credit is designated and claimed in multiples of this (of 0.25).")
    max_per_hour = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True,
        help_text="At most this much per hour of the activity; empty for no ceiling.")
    formats = models.JSONField(default=list, blank=True,
                               help_text="Activity formats that may carry it; none ticked: all.")
    identifier_label = models.CharField(
        max_length=100, blank=True,
        help_text="The identifier a designation of this type needs (for example the ACPE "
                  "universal activity number); empty when none.")
    reported_to = models.CharField(max_length=15, choices=ReportedTo.choices,
                                   default=ReportedTo.NONE)
    position = models.PositiveSmallIntegerField(default=100,
                                                help_text="Order on pages and certificates.")
    is_active = models.BooleanField(
        "designable", default=True,
        help_text="New designations may use it. Credit already awarded keeps its type.")
    source_url = models.URLField(blank=True, max_length=300)
    source_note = models.TextField(blank=True,
                                   help_text="Where the wording and rules come from.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            # The designations' own check holds amounts to quarter steps.
            models.CheckConstraint(condition=Q(step__gt=0), name="credit_type_step_positive"),
            models.CheckConstraint(condition=Q(max_per_hour__isnull=True)
                                   | Q(max_per_hour__gt=0),
                                   name="credit_type_max_per_hour_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CreditTypeChange(models.Model):
    """The history of a credit type: each save by the office, with the values it left, so an
    auditor can say what a certificate's wording was on a given day."""

    credit_type = models.ForeignKey(CreditType, on_delete=models.PROTECT,
                                    related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    values = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.credit_type.code} changed {self.changed_at:%Y-%m-%d %H:%M}"
