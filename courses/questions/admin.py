from django.contrib import admin

from .models import DrillSettings, PostTest, Question, QuestionOption


class QuestionOptionInline(admin.TabularInline):
    model = QuestionOption
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["course"]
    search_fields = ["stem", "course__title"]
    inlines = [QuestionOptionInline]


@admin.register(PostTest)
class PostTestAdmin(admin.ModelAdmin):
    list_display = ["course", "passing_percent", "max_attempts", "shuffle", "pool_size"]
    list_select_related = ["course"]


@admin.register(DrillSettings)
class DrillSettingsAdmin(admin.ModelAdmin):
    list_display = ["course", "questions_per_delivery", "delivery_hour", "quiet_hour",
                    "weekdays_only", "intervals_days", "retire_after_correct",
                    "retire_min_days_apart"]
    list_select_related = ["course"]
