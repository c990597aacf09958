"""Certificates of completion: one per learner and activity, rendered by workers, verifiable.

Dates and credits are stored facts, copied when the certificate is issued or reissued, never
recomputed at display time. The PDF lives in its own storage (settings.CERTIFICATE_STORAGE) and
is served only through the download view.
"""
import secrets
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Substr

# Crockford's base32 without I, L, O and U: unambiguous to read aloud or type.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 x 5 bits = 80 bits of randomness
CODE_GROUP = 4  # printed in groups: 7K3M-Q9TZ-...


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_verification_code(typed: str) -> str:
    """What someone typed (any case, spaces or dashes, O for 0, I or L for 1) as stored."""
    cleaned = "".join(char for char in typed.upper() if char.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def code_display_expression(field: str) -> Concat:
    """`Certificate.code_display` as a database expression, so reports built in SQL print the
    code exactly as the certificate does."""
    parts = []
    for start in range(1, CODE_LENGTH + 1, CODE_GROUP):
        parts += [Value("-"), Substr(field, start, CODE_GROUP)]
    return Concat(*parts[1:], output_field=CharField())


def certificate_storage():
    return storages[settings.CERTIFICATE_STORAGE]


def certificate_pdf_path(certificate: "Certificate", filename: str) -> str:
    # One name per certificate and version: a retried render overwrites, never adds a file.
    return f"certificates/{certificate.pk}/certificate-v{certificate.version}.pdf"


class Certificate(models.Model):
    # No stored "rendering" state: a worker that dies would leave it behind. The render holds
    # the row lock instead (select_for_update), which PostgreSQL releases when a worker dies;
    # render_started_at then tells a render lost with its worker from one still waiting.
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="certificates")
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT,
                               related_name="certificates")
    verification_code = models.CharField(max_length=CODE_LENGTH, unique=True,
                                         default=new_verification_code, editable=False)
    learner_name = models.CharField(max_length=170, help_text="Name and degree as printed.")
    activity_title = models.CharField(max_length=200)
    activity_dates = models.CharField(max_length=200)
    completion_date = models.DateField()
    issue_date = models.DateField()
    credits = models.JSONField(
        default=list, help_text=("Snapshot: [{credit_type, amount, wording, maximum}], the "
                                 "credits as printed and the most the course designated."))
    credit_statement = models.TextField(
        blank=True, help_text="The accreditor's statement printed with the credits (AMA).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveIntegerField(default=1)
    rendered_version = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to=certificate_pdf_path, storage=certificate_storage,
                           blank=True, max_length=200)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_started_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When a worker last began rendering the current version (committed before the "
                  "render's own transaction): pending, started and not locked means its worker "
                  "stopped, and the recovery tick queues it again.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course"),
            models.CheckConstraint(condition=Q(rendered_version__lte=models.F("version")),
                                   name="certificate_rendered_version_not_ahead"),
        ]
        indexes = [models.Index(fields=["course", "status"]),
                   models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"Certificate {self.code_display} ({self.learner_name}, {self.activity_title})"

    @property
    def code_display(self) -> str:
        code = self.verification_code
        return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))

    @property
    def verification_path(self) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", kwargs={"code": self.verification_code})

    @property
    def verification_url(self) -> str:
        return f"{settings.SITE_URL}{self.verification_path}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.READY and self.rendered_version == self.version


class CertificateRevocation(models.Model):
    """The education office's revocation of a certificate, with who, when and why: the audit.

    Never edited or deleted (the admin shows it read-only, PROTECT keeps the certificate). While
    it exists the certificate stays revoked: a later change of the learner's credits does not
    reissue it (credits/certificates/services.py, certificate_sync).
    """

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT,
                                       related_name="revocation")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField()
    revoked_at = models.DateTimeField()

    class Meta:
        ordering = ["-revoked_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""),
                                              name="certificate_revocation_has_reason")]

    def __str__(self) -> str:
        return f"Revocation of certificate {self.certificate_id}"


class CertificateRender(models.Model):
    """A failed attempt to render a certificate version: the log administrators read.

    Successful renders are recorded on the certificate itself (rendered_version, rendered_at,
    attempts) rather than here, saving a write per certificate on the hot path.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="renders")
    version = models.PositiveIntegerField()
    error = models.TextField()
    worker = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"Failed render of certificate {self.certificate_id} v{self.version}"


class CertificateRegeneration(models.Model):
    """An administrator's request to re-render every certificate of a course.

    Progress is read from the certificates themselves (rendered_version reaching the version
    each was bumped to), so a worker restart neither loses nor double-counts anything.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT,
                               related_name="certificate_regenerations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    certificate_versions = models.JSONField(
        default=dict, help_text="Certificate id -> the version this run renders.")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Regeneration of {self.course} ({self.done}/{self.total})"


# The Bitstring Status List v1.0 minimum: 16 KiB of bits, so one list hides each entry among
# 131,072 others (herd privacy).
STATUS_LIST_SIZE = 131_072


def new_identity_salt() -> str:
    return secrets.token_hex(16)


class CertificateCredential(models.Model):
    """One certificate version issued as a signed Open Badges 3.0 credential.

    The token is stored as signed, so every download of a version is the same file. Its bit in
    the status list is not stored: it is set while the certificate is revoked or a newer
    version exists (credits/certificates/openbadges/selectors.py), so revoking and reissuing
    need no second write that could be forgotten.
    """

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT,
                                    related_name="credentials")
    version = models.PositiveIntegerField()
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    identity_salt = models.CharField(max_length=32, default=new_identity_salt, editable=False)
    token = models.TextField(help_text="The signed credential (compact JWS, application/vc+jwt).")
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "version"],
                                    name="certificate_credential_once_per_version"),
            models.UniqueConstraint(fields=["status_list", "status_index"],
                                    name="certificate_credential_status_entry_unique"),
            models.CheckConstraint(condition=Q(status_index__lt=STATUS_LIST_SIZE),
                                   name="certificate_credential_status_index_in_list"),
        ]

    def __str__(self) -> str:
        return f"Open Badge credential of certificate {self.certificate_id} v{self.version}"
