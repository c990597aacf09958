"""Credit a clinician earned elsewhere, with the certificate they were given."""
from django.conf import settings
from django.db import models

from courses.credit_types import CreditType


class ExternalActivity(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="external_activities")
    provider = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    completed_on = models.DateField()
    credit_type = models.CharField(max_length=20, choices=CreditType.choices)
    amount = models.DecimalField(max_digits=5, decimal_places=2)
    certificate = models.FileField(upload_to="external-certificates/%Y/%m/")
    topics = models.ManyToManyField("courses.Topic", blank=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name_plural = "external activities"

    def __str__(self) -> str:
        return f"{self.title} ({self.provider})"
