from django.contrib import admin

from .models import ContentPackage


@admin.register(ContentPackage)
class ContentPackageAdmin(admin.ModelAdmin):
    list_display = ("course", "version", "title", "standard", "status", "published_at")
    list_filter = ("standard", "status")
    search_fields = ("title", "course__title")
    readonly_fields = [field.name for field in ContentPackage._meta.fields]

    def has_add_permission(self, request):
        return False  # uploaded through the director's page, which checks the zip

    def has_delete_permission(self, request, obj=None):
        return False  # learners' records point at the version they played
