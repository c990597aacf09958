from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AccessToken, Licence, NotificationPreference, OutgoingMessage, User
from .services import outgoing_messages_resend
from .tokens import access_token_revoke

# Identity providers come from the environment (SSO_PROVIDERS) and no provider tokens are kept
# (SOCIALACCOUNT_STORE_TOKENS off), so neither table has anything to edit; linked accounts stay.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["user", "state", "profession", "number", "expires_on"]
    list_filter = ["state", "profession"]
    search_fields = ["user__email", "user__full_name", "number"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "expires_on"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "degree", "profession", "npi", "board_id",
                    "consents_to_credit_reporting", "is_active", "is_staff", "date_joined"]
    list_filter = ["profession", "degree", "certifying_board", "is_active", "is_staff", "groups",
                   "consents_to_credit_reporting"]
    search_fields = ["email", "full_name", "npi", "board_id", "nabp_eprofile_id"]
    inlines = [LicenceInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "degree", "profession", "specialty", "npi",
                                "certifying_board", "board_id", "nabp_eprofile_id",
                                "birth_month", "birth_day", "time_zone",
                                "consents_to_credit_reporting"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                               "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"],
                             "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "object_key", "occurrence", "status", "attempts",
                    "last_error", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    search_fields = ["recipient__email", "object_key"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "object_key", "occurrence", "context", "attempts",
                       "last_error", "created_at", "queued_at", "next_attempt_at",
                       "claimed_at", "send_started_at", "sent_at"]
    actions = ["resend"]

    @admin.action(description="Send the selected failed messages again")
    def resend(self, request, queryset):
        count = outgoing_messages_resend(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"Queued {count} failed message(s) to send again.")

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "enabled", "updated_at"]
    list_filter = ["category", "enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Read and revoke only: a token is created on the profile page or the service tokens page,
    which show its value once (the database holds only its hash)."""

    list_display = ["name", "kind", "user", "prefix", "scopes", "created_at", "expires_at",
                    "last_used_at", "revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [field.name for field in AccessToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            access_token_revoke(token=token, actor=request.user)
        self.message_user(request, "Revoked.")
