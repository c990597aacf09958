"""What the identity provider said about a person or a unit, beside the portal's own rows.

A link is never deleted: a SCIM DELETE ends it (`deleted_at`), so the resource is gone for the
identity provider while the person, their unit and every record they earned stay.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from credits.checklists.models import Unit


class ScimUser(models.Model):
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="scim_links")
    external_id = models.CharField(max_length=255, blank=True)
    user_name = models.CharField(max_length=255)
    formatted_name = models.CharField(max_length=150, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=150, blank=True)
    emails = models.JSONField(default=list, blank=True)
    department = models.CharField(max_length=200, blank=True)
    department_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    # As sent (the manager's SCIM id or external id), kept until that person is provisioned.
    manager_value = models.CharField(max_length=255, blank=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(deleted_at__isnull=True),
                                    name="scim_user_one_live_link"),
            models.UniqueConstraint(Lower("user_name"), condition=Q(deleted_at__isnull=True),
                                    name="scim_user_user_name_unique"),
        ]
        indexes = [models.Index(fields=["external_id"]),
                   models.Index(fields=["manager_value"])]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scim_links")
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit"],
                                               condition=Q(deleted_at__isnull=True),
                                               name="scim_group_one_live_link")]

    def __str__(self) -> str:
        return str(self.unit_id)


class UnitManagerGrant(models.Model):
    """A unit manager made by SCIM: someone a provisioned person of the unit reports to.

    Only these are taken back when nobody in the unit reports to them any more; a manager the
    office appointed has no grant and SCIM never demotes them.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    membership_created = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "user"],
                                               name="unit_manager_grant_once")]

    def __str__(self) -> str:
        return f"{self.user_id} manages {self.unit_id}"
