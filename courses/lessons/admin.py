from django.contrib import admin

from .models import Lesson, LessonAttachment


class LessonAttachmentInline(admin.TabularInline):
    model = LessonAttachment
    extra = 0
    fields = ["title", "kind", "file", "position"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "status", "estimated_minutes"]
    list_filter = ["status"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    inlines = [LessonAttachmentInline]
    readonly_fields = ["body_html"]

    def save_model(self, request, obj, form, change):
        from .markdown import render_lesson_markdown

        obj.body_html = render_lesson_markdown(obj.body)
        super().save_model(request, obj, form, change)
