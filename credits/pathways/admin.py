"""Pathways in Django admin: read what learners are on; authoring has its own pages."""
from django.contrib import admin

from credits.pathways.models import (
    ExternalStepRecord,
    Pathway,
    PathwayCertificate,
    PathwayEnrolment,
    PathwayVersion,
)


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "entry", "current_version")
    list_filter = ("status", "entry")
    search_fields = ("title",)
    readonly_fields = ("current_version", "created_by")


@admin.register(PathwayVersion)
class PathwayVersionAdmin(admin.ModelAdmin):
    list_display = ("pathway", "number", "published_at", "time_limit_days")
    readonly_fields = ("published_at",)


@admin.register(PathwayEnrolment)
class PathwayEnrolmentAdmin(admin.ModelAdmin):
    list_display = ("pathway", "user", "version", "status", "started_on", "completed_on")
    list_filter = ("status", "source")
    search_fields = ("user__email", "pathway__title")
    raw_id_fields = ("user",)
    readonly_fields = ("pathway", "version", "user", "started_on", "completed_on", "status")


@admin.register(ExternalStepRecord)
class ExternalStepRecordAdmin(admin.ModelAdmin):
    list_display = ("step", "enrolment", "completed_on", "recorded_at")
    readonly_fields = ("enrolment", "step", "completed_on", "note")


@admin.register(PathwayCertificate)
class PathwayCertificateAdmin(admin.ModelAdmin):
    list_display = ("pathway_title", "learner_name", "completion_date", "status")
    search_fields = ("learner_name", "pathway_title", "verification_code")
    readonly_fields = [field.name for field in PathwayCertificate._meta.fields]
