from django.contrib import admin

from .models import PushDelivery, PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "endpoint", "p256dh", "auth", "created_at"]


@admin.register(PushDelivery)
class PushDeliveryAdmin(admin.ModelAdmin):
    list_display = ["message", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["message", "subscription", "title", "url", "status", "last_error",
                       "created_at", "sent_at"]
