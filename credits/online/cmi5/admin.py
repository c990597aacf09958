"""The CME office's read-only view of cmi5 registrations, sessions and statements."""
from django.contrib import admin

from credits.online.admin import ReadOnlyAdmin

from .models import AuSession, Registration, Statement


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["registration", "user", "course", "created_at", "satisfied_at"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title", "registration"]


@admin.register(AuSession)
class AuSessionAdmin(ReadOnlyAdmin):
    list_display = ["session_id", "attempt", "launched_at", "fetched_at", "terminated_at",
                    "abandoned_at"]
    list_select_related = ["attempt__user"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["statement_id", "verb_id", "object_id", "by_portal", "stored_at"]
