from django.contrib import admin

from .models import (
    Course,
    CreditDesignation,
    Disclosure,
    Enrolment,
    Faculty,
    Session,
    Specialty,
    Topic,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "starts_at", "ends_at", "location", "capacity", "is_cancelled"]


class CreditDesignationInline(admin.TabularInline):
    model = CreditDesignation
    extra = 0


class DisclosureInline(admin.TabularInline):
    model = Disclosure
    extra = 0
    autocomplete_fields = ["faculty"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "format", "status", "capacity", "commercial_support",
                    "joint_provider", "submitted_at", "published_at"]
    list_filter = ["status", "format", "approval_required", "commercial_support", "specialties",
                   "topics"]
    search_fields = ["title", "summary", "slug", "directors__email", "directors__full_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["directors", "specialties", "topics"]
    inlines = [SessionInline, CreditDesignationInline, DisclosureInline]
    date_hierarchy = "created_at"


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "starts_at", "ends_at", "location", "is_cancelled",
                    "checkin_code"]
    list_filter = ["is_cancelled", "course__format", "checkin_code_rotates"]
    search_fields = ["title", "course__title", "location"]
    list_select_related = ["course"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["faculty"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "status", "waitlist_position", "created_at"]
    list_filter = ["status", "course__format"]
    date_hierarchy = "created_at"
    search_fields = ["user__email", "user__full_name", "course__title"]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user", "course", "decided_by"]


@admin.register(Faculty)
class FacultyAdmin(admin.ModelAdmin):
    list_display = ["full_name", "degree", "email", "user"]
    list_filter = ["degree"]
    search_fields = ["full_name", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["faculty", "course", "role", "recorded_at"]
    list_filter = ["role"]
    search_fields = ["faculty__full_name", "course__title"]
    list_select_related = ["faculty", "course"]


@admin.register(CreditDesignation)
class CreditDesignationAdmin(admin.ModelAdmin):
    list_display = ["course", "credit_type", "max_credits", "acpe_uan"]
    list_filter = ["credit_type", "course__format"]
    search_fields = ["course__title", "acpe_uan"]
    list_select_related = ["course"]


@admin.register(Topic, Specialty)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
