"""Read-only admin of drill state: answers and deliveries are evidence and never deleted."""
from django.contrib import admin

from .models import DrillAnswer, DrillCard, DrillDelivery, DrillEnrolment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DrillEnrolment)
class DrillEnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "course", "joined_at", "last_delivered_on", "completed_at"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title"]


@admin.register(DrillCard)
class DrillCardAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "question", "due_on", "correct_streak", "retired_on"]
    list_select_related = ["enrolment__user", "enrolment__course", "question"]
    search_fields = ["enrolment__user__email", "enrolment__course__title"]


@admin.register(DrillDelivery)
class DrillDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "question", "delivered_on"]
    list_select_related = ["enrolment__user", "enrolment__course", "question"]
    date_hierarchy = "delivered_on"
    search_fields = ["enrolment__user__email", "enrolment__course__title"]


@admin.register(DrillAnswer)
class DrillAnswerAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "is_correct", "channel", "answered_at"]
    list_select_related = ["delivery__enrolment__user", "delivery__question"]
    search_fields = ["delivery__enrolment__user__email", "delivery__enrolment__course__title"]
