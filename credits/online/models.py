"""Lesson views, module progress and completion, post-test attempts, answers and grants.

Attempts and answers are never deleted (PROTECT, no delete in the admin, and a PostgreSQL
trigger refusing DELETE): they are the evidence behind a completion and so behind credit.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.lessons.models import Lesson
from courses.models import Course
from courses.questions.models import Question


class LessonView(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="lesson_views")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="views")
    first_viewed_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"],
                                               name="lesson_view_one_per_learner")]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.lesson}"


class ModuleProgress(models.Model):
    """One learner in one online activity: where to resume, and the stored completion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="module_progress")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="module_progress")
    last_lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    started_at = models.DateTimeField()
    # A stored fact (like a certificate's dates): the moment and the learner's local day the
    # last requirement was met.
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "module progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "course"],
                                    name="module_progress_one_per_learner"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, completed_on__isnull=True)
                | Q(completed_at__isnull=False, completed_on__isnull=False),
                name="module_progress_completion_both_or_neither"),
        ]
        # The API's completion feed (credits/reports/sync.py).
        indexes = [models.Index(fields=["completed_at", "id"], name="online_completion_feed",
                                condition=Q(completed_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


class PostTestAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="post_test_attempts")
    course = models.ForeignKey(Course, on_delete=models.PROTECT,
                               related_name="post_test_attempts")
    number = models.PositiveSmallIntegerField()
    # The questions asked and each one's option order, fixed when the attempt starts.
    question_ids = models.JSONField(default=list)
    option_order = models.JSONField(default=dict)
    passing_percent = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course", "number"],
                                    name="post_test_attempt_number_unique"),
            models.UniqueConstraint(fields=["user", "course"],
                                    condition=Q(submitted_at__isnull=True),
                                    name="post_test_attempt_one_open"),
        ]
        indexes = [models.Index(fields=["course", "submitted_at"])]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.user} at {self.course}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(PostTestAttempt, on_delete=models.PROTECT,
                                related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    selected_option_ids = models.JSONField(default=list)
    is_correct = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"],
                                               name="attempt_answer_one_per_question")]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in {self.attempt}"


class ExtraAttemptGrant(models.Model):
    """The CME office allows one more post-test attempt beyond the limit; audited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="extra_attempt_grants")
    course = models.ForeignKey(Course, on_delete=models.PROTECT,
                               related_name="extra_attempt_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.CharField(max_length=300)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Extra attempt for {self.user} at {self.course}"
