"""Users log in with their email address; the profile holds what accreditors and boards ask for."""
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .choices import (
    MONTHS,
    TIME_ZONES,
    US_STATES,
    Degree,
    Profession,
    profession_choices,
    profession_name,
)
from .roles import Role
from .validators import validate_birth_month_day, validate_npi


class ProfessionField(models.CharField):
    """A profession's code, offered and checked against the office's professions
    (`profession_choices`), so one added in the admin needs no deploy. Not Django's `choices`:
    system checks would read those from a table a fresh database does not have yet."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        if value not in dict(profession_choices()):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})

    def formfield(self, **kwargs):
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.ChoiceField,
                                               "choices": profession_choices, **kwargs})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, help_text="As it should appear on certificates.")
    degree = models.CharField(max_length=10, choices=Degree.choices, blank=True)
    profession = ProfessionField(default=Profession.PHYSICIAN,
                                 help_text="Decides which credit types you can claim.")
    specialty = models.CharField(max_length=100, blank=True)
    npi = models.CharField(
        "NPI", max_length=10, blank=True, validators=[validate_npi],
        help_text="National Provider Identifier, 10 digits.",
    )
    board_id = models.CharField(
        "certifying-board ID", max_length=30, blank=True,
        help_text="For example your ABIM or ABP ID, used to report MOC points.",
    )
    certifying_board = models.CharField(
        max_length=20, blank=True, help_text="For example ABIM, ABP, ABA.",
    )
    nabp_eprofile_id = models.CharField(
        "NABP e-Profile ID", max_length=10, blank=True,
        help_text="Pharmacists: the ID CPE Monitor uses.",
    )
    birth_month = models.PositiveSmallIntegerField(choices=MONTHS, null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONES, default="America/New_York")
    # Blank follows the browser's Accept-Language (LocaleMiddleware); emails and certificates,
    # made without a browser, use this or the portal's default.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text="Blank: your browser's language.",
    )
    consents_to_credit_reporting = models.BooleanField(
        "report my credits to ACCME and my boards", default=False,
        help_text="Lets the CME office send your completions to ACCME PARS and your "
                  "certifying board (for example ABIM MOC).",
    )

    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True, birth_day__isnull=True)
                | models.Q(birth_month__range=(1, 12), birth_day__range=(1, 31)),
                name="user_birth_month_day_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        try:
            validate_birth_month_day(self.birth_month, self.birth_day)
        except ValidationError as error:
            raise ValidationError({"birth_day": error.messages}) from error

    def get_profession_display(self) -> str:
        return profession_name(self.profession)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def display_name(self) -> str:
        """Name with degree, as printed on certificates ("Priya Raman, MD")."""
        return f"{self.full_name}, {self.degree}" if self.degree else self.full_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_clinician(self) -> bool:
        return Role.CLINICIAN in self.role_names

    @property
    def is_educator(self) -> bool:
        return Role.EDUCATOR in self.role_names

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.role_names

    @property
    def may_build_checklists(self) -> bool:
        return self.is_educator or self.is_administrator

    @property
    def must_use_mfa(self) -> bool:
        return bool(settings.STAFF_MFA_REQUIRED) and (
            self.is_educator or self.is_administrator or self.is_staff
        )

    @cached_property
    def has_mfa(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()


def user_display(user: User) -> str:
    """How allauth names the user in messages ("Signed in as Priya Raman")."""
    return user.full_name or user.email


class Licence(models.Model):
    """A professional licence; its expiry date anchors the renewal cycle for requirements."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="licences")
    state = models.CharField(max_length=2, choices=US_STATES)
    number = models.CharField("licence number", max_length=30)
    profession = ProfessionField(default=Profession.PHYSICIAN)
    expires_on = models.DateField("expiry date")

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "state", "profession"],
                                    name="licence_one_per_state_and_profession"),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.get_profession_display()} licence {self.number}"

    def get_profession_display(self) -> str:
        return profession_name(self.profession)


class OutgoingMessage(models.Model):
    """One email the portal owes a person, keyed so that it can be sent at most once.

    The key (recipient, kind, subject object, occurrence) is unique: a scan that runs twice or
    a task delivered twice finds the existing row instead of sending again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (switched off by the recipient)"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="outgoing_messages")
    kind = models.CharField(max_length=50)
    object_key = models.CharField(max_length=100, blank=True,
                                  help_text="What the message is about, e.g. enrolment:42.")
    occurrence = models.CharField(max_length=50, blank=True,
                                  help_text="Which of several sends this is, e.g. 24h.")
    # Datetimes, dates and decimals are stored as strings; the sender turns keys ending in
    # `_at` / `_on` back into datetimes / dates so templates show them in the recipient's zone.
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When it was last handed to the broker; empty until then (or after the broker "
                  "refused it), so the next dispatch picks it up.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed attempt: not retried before this.")
    claimed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When a worker took it in a batch.")
    # The batch a worker took it in: every row of one task run shares a random claim, so the
    # dispatcher can tell a batch whose worker stopped (no sign of life for a lease) from one
    # still being sent, and give its unsent rows back.
    claim = models.BigIntegerField(null=True, blank=True, editable=False)
    send_started_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Set just before this message is handed to the mail server: a row still "
                  "sending without it cannot have gone out.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "object_key", "occurrence"],
                                    name="outgoing_message_once"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["claim"], condition=models.Q(claim__isnull=False),
                         name="outgoing_message_claim"),
            # The dispatcher's scan: queued rows not (recently) handed to the broker.
            models.Index(fields=["queued_at"], condition=models.Q(status="queued"),
                         name="outgoing_message_to_dispatch"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.status})"


class NotificationPreference(models.Model):
    """A person's choice for one optional email category; no row means the category is on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    category = models.CharField(max_length=30)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(fields=["user", "category"],
                                    name="notification_preference_once_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {'on' if self.enabled else 'off'}"


class AccessToken(models.Model):
    """A bearer token for the JSON API (/api/v1/), stored as its SHA-256 hash only.

    A personal token acts as its owner with the scopes they chose; a service token belongs to
    no person (an HR or credentialing integration, the identity provider's SCIM client), is
    created by an administrator and is the only kind that may hold the `reports` and `scim`
    scopes.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal"
        SERVICE = "service", "Service (integration)"

    class Scope(models.TextChoices):
        PROFILE = "profile", "Profile and licences"
        TRANSCRIPT = "transcript", "Transcript"
        CERTIFICATES = "certificates", "Certificates"
        REQUIREMENTS = "requirements", "Requirement progress"
        CATALOG = "catalog", "Catalog"
        REPORTS = "reports", "Reports: every learner's credits, completions and attendance"
        SCIM = "scim", "SCIM provisioning: create, update and deactivate people and their units"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="access_tokens",
                             help_text="The person a personal token acts as; empty for service "
                                       "tokens.")
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list)
    # The first characters of the token, shown so its owner can tell tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="personal", user__isnull=False)
                | models.Q(kind="service", user__isnull=True),
                name="access_token_personal_has_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
