"""Post-test attempts of one online activity: one row per attempt, scored and kept."""
from django import forms
from django.utils import timezone

from courses.models import Course
from credits.online.models import PostTestAttempt

from .base import Exporter

HEADER = ("Learner name", "Email", "Profession", "Attempt", "Started", "Submitted",
          "Correct", "Questions", "Score (%)", "Passed")


class PostTestAttemptsForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(format=Course.Format.ENDURING).only("pk", "title"),
        label="Activity")


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class PostTestAttemptsExporter(Exporter):
    identifier = "post_test_attempts"
    title = "Post-test attempts"
    description = "Every post-test attempt of one online activity with its score."
    form_class = PostTestAttemptsForm
    filename_stem = "post-test-attempts"

    def filename(self, fmt: str, filters: dict) -> str:
        course = filters["course"]
        return f"{self.filename_stem}-{getattr(course, 'slug', course)}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return PostTestAttempt.objects.filter(course=filters["course"]).count()

    def rows(self, filters: dict):
        """One query whatever the number of attempts."""
        yield HEADER
        for attempt in (PostTestAttempt.objects.filter(course=filters["course"])
                        .select_related("user").order_by("user__full_name", "user__email",
                                                          "number").iterator(chunk_size=2000)):
            learner = attempt.user
            yield (learner.full_name, learner.email, learner.get_profession_display(),
                   attempt.number, _local(attempt.started_at), _local(attempt.submitted_at),
                   "" if attempt.correct_count is None else attempt.correct_count,
                   len(attempt.question_ids),
                   "" if attempt.score_percent is None else f"{attempt.score_percent:.2f}",
                   {True: "Yes", False: "No", None: "Not submitted"}[attempt.passed])
