"""Self-disclosures of financial relationships with ineligible companies (ACCME Standard 3),
their per-activity mitigation, the signed links that collect them, and commercial support
(Standard 4). A disclosure belongs to a person, not an activity: it is valid for 12 months and
reused by every activity the person controls content of."""
import datetime
import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Faculty

# ACCME Standard 3.1: relationships of the prior 24 months are disclosed.
LOOKBACK_MONTHS = 24
# The portal's rule (a common CME-office policy): a disclosure is re-collected every 12 months.
VALID_MONTHS = 12


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), on the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def lookback_start(signed_on: datetime.date) -> datetime.date:
    return months_after(signed_on, -LOOKBACK_MONTHS)


def valid_until(signed_on: datetime.date) -> datetime.date:
    return months_after(signed_on, VALID_MONTHS)


def new_link_nonce() -> str:
    return secrets.token_urlsafe(16)


class FinancialDisclosure(models.Model):
    """One signed disclosure: every relationship of the past 24 months, or that there are none."""

    class Source(models.TextChoices):
        SELF = "self", "Signed by the person"
        EDUCATOR = "educator", "Typed by an educator (before self-disclosure)"

    person = models.ForeignKey(Faculty, on_delete=models.PROTECT,
                               related_name="financial_disclosures")
    none_to_disclose = models.BooleanField(
        help_text="Attested to no financial relationships with ineligible companies in the past "
                  "24 months.")
    signature = models.CharField(max_length=150, help_text="The full name typed as a signature.")
    signed_on = models.DateField()
    signed_at = models.DateTimeField()
    valid_until = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)

    class Meta:
        ordering = ["person", "-signed_at"]
        indexes = [models.Index(fields=["person", "-valid_until"])]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("signed_on")),
                                   name="disclosure_valid_after_signing"),
        ]

    def __str__(self) -> str:
        return f"{self.person} signed {self.signed_on:%Y-%m-%d}"

    def is_current(self, on: datetime.date) -> bool:
        return self.signed_on <= on < self.valid_until


class FinancialRelationship(models.Model):
    """A financial relationship with an ineligible company, as disclosed."""

    # ACCME Standard 3.1, the examples of financial relationships.
    class Nature(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        RESEARCHER = "researcher", _("Researcher")
        CONSULTANT = "consultant", _("Consultant")
        ADVISOR = "advisor", _("Advisor")
        SPEAKER = "speaker", _("Speaker")
        CONTRACTOR = "contractor", _("Independent contractor (including contracted research)")
        ROYALTIES = "royalties", _("Royalties or patent beneficiary")
        EXECUTIVE = "executive", _("Executive role")
        OWNERSHIP = "ownership", _("Ownership interest")

    class Ownership(models.TextChoices):
        PUBLIC_STOCK = "public", "Individual stocks or stock options of a publicly traded company"
        PRIVATE = "private", "Ownership of a privately held company"

    disclosure = models.ForeignKey(FinancialDisclosure, on_delete=models.PROTECT,
                                   related_name="relationships")
    company = models.CharField("ineligible company", max_length=200)
    nature = models.CharField(max_length=12, choices=Nature.choices)
    ownership = models.CharField(max_length=8, choices=Ownership.choices, blank=True)
    ended_on = models.DateField(null=True, blank=True,
                                help_text="Empty while the relationship continues.")

    class Meta:
        ordering = ["disclosure", "company", "nature"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature="ownership", ownership__in=["public", "private"])
                | (~Q(nature="ownership") & Q(ownership="")),
                name="relationship_ownership_kind_for_ownership_only"),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()}, {self.company}"

    @property
    def nature_text(self) -> str:
        """The nature as learners read it, e.g. 'Ownership interest (individual stocks)'."""
        if self.nature == self.Nature.OWNERSHIP and self.ownership == self.Ownership.PUBLIC_STOCK:
            return _("Ownership interest (individual stocks)")
        return self.get_nature_display()

    @property
    def is_owner_or_employee(self) -> bool:
        """ACCME Standard 3.2: owners and employees of ineligible companies are excluded from
        controlling content except under three exceptions. Stock in a publicly traded company
        and patent royalties do not make someone an owner (ACCME FAQ)."""
        return (self.nature in {self.Nature.EMPLOYEE, self.Nature.EXECUTIVE}
                or (self.nature == self.Nature.OWNERSHIP
                    and self.ownership == self.Ownership.PRIVATE))


class DisclosureLink(models.Model):
    """A signed, expiring link emailed to a person to disclose; spent once a disclosure is
    signed through it (a second submission, a replay or a second tab counts once)."""

    person = models.ForeignKey(Faculty, on_delete=models.PROTECT, related_name="disclosure_links")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="disclosure_links",
                               help_text="The activity that asked for it, if any.")
    nonce = models.CharField(max_length=32, unique=True, default=new_link_nonce, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    disclosure = models.OneToOneField(FinancialDisclosure, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="link")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Disclosure link for {self.person} ({'used' if self.used_at else 'open'})"


class Mitigation(models.Model):
    """A reviewer's decision on one disclosed relationship for one activity (Standard 3.3-3.4)."""

    class Step(models.TextChoices):
        NOT_RELEVANT = "not_relevant", "Not relevant to the content"
        DIVESTED = "divested", "Divested the relationship"
        RECUSED = "recused", "Recused from the relevant content"
        PEER_REVIEW = "peer_review", "Peer review of content"
        ATTESTED = "attested", "Attested to evidence-based, balanced content"
        OTHER = "other", "Other"

    # ACCME Standard 3.2: the three situations in which an owner or employee may take part.
    class Exception(models.TextChoices):
        UNRELATED = "unrelated", ("The content is not related to the business lines or products "
                                  "of their employer/company")
        BASIC_SCIENCE = "basic_science", (
            "The content is limited to basic science research or research methodology, and they "
            "make no care recommendations")
        DEVICE_TECHNICIAN = "device_technician", (
            "They teach the safe and proper use of medical devices as technicians and do not "
            "recommend whether or when a device is used")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="mitigations")
    relationship = models.ForeignKey(FinancialRelationship, on_delete=models.PROTECT,
                                     related_name="mitigations")
    relevant = models.BooleanField(help_text="Related to the content this person controls.")
    step = models.CharField(max_length=15, choices=Step.choices)
    other_text = models.CharField(max_length=300, blank=True)
    owner_exception = models.CharField(max_length=20, choices=Exception.choices, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["course", "relationship"]
        constraints = [
            models.UniqueConstraint(fields=["course", "relationship"],
                                    name="mitigation_once_per_activity"),
            models.CheckConstraint(condition=~Q(step="other") | ~Q(other_text=""),
                                   name="mitigation_other_is_described"),
            models.CheckConstraint(condition=Q(relevant=True) | Q(step="not_relevant"),
                                   name="mitigation_irrelevant_needs_no_step"),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} on {self.course}: {self.get_step_display()}"

    @property
    def step_text(self) -> str:
        return self.other_text if self.step == self.Step.OTHER else self.get_step_display()


def agreement_storage():
    return storages[settings.SUPPORT_AGREEMENT_STORAGE]


def agreement_upload_to(instance, filename: str) -> str:
    return f"commercial-support/{instance.course_id}/{secrets.token_hex(8)}.pdf"


class CommercialSupport(models.Model):
    """Financial or in-kind support from an ineligible company (ACCME Standard 4)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="supports")
    supporter = models.CharField("ineligible company", max_length=200)
    amount = models.DecimalField("monetary amount (USD)", max_digits=10, decimal_places=2,
                                 null=True, blank=True)
    in_kind = models.CharField("in-kind support", max_length=200, blank=True,
                               help_text="What was given, e.g. ultrasound machines on loan.")
    agreement = models.FileField(upload_to=agreement_upload_to, storage=agreement_storage,
                                 blank=True)
    agreement_signed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "supporter"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) | ~Q(in_kind=""),
                                   name="support_is_money_or_in_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} supporting {self.course}"
