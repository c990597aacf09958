"""Evaluation questions in the Django admin."""
from django.contrib import admin

from credits.evaluations.models import EvaluationQuestion


@admin.register(EvaluationQuestion)
class EvaluationQuestionAdmin(admin.ModelAdmin):
    """Course-specific questions; questions without a course are the defaults every course
    without its own questions uses."""

    list_display = ["text", "course", "kind", "position", "required"]
    list_filter = ["kind", ("course", admin.EmptyFieldListFilter)]
    search_fields = ["text", "course__title"]
    list_select_related = ["course"]
    raw_id_fields = ["course"]
