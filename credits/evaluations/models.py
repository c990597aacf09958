"""Course evaluations: questions (per course, or the ACCME-style defaults) and one response per
clinician per course."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EvaluationQuestion(models.Model):
    """A question asked after an activity. Questions without a course are the default set,
    used by every course that has none of its own."""

    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement or rating, 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        TEXT = "text", "Free text"

    class Scale(models.TextChoices):
        AGREEMENT = "agreement", "Strongly disagree (1) to strongly agree (5)"
        QUALITY = "quality", "Poor (1) to excellent (5)"

    class FollowUpWhen(models.TextChoices):
        NEVER = "", "No follow-up"
        ALWAYS = "always", "Always"
        NO = "no", "When the answer is no"

    course = models.ForeignKey("courses.Course", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="evaluation_questions",
                               help_text="Empty for a default question used by every course "
                                         "that has no questions of its own.")
    default_key = models.SlugField(
        max_length=40, blank=True,
        help_text="Identifies a default question so the default set is created once.")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.AGREEMENT,
                             help_text="How the 1 to 5 answers are worded (Likert questions).")
    required = models.BooleanField(default=True)
    follow_up_prompt = models.CharField(
        max_length=200, blank=True,
        help_text="An optional free-text follow-up, e.g. 'What will you change?'.")
    follow_up_when = models.CharField(max_length=10, choices=FollowUpWhen.choices, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["default_key"], condition=Q(course__isnull=True),
                                    name="evaluation_default_question_once"),
            models.CheckConstraint(condition=Q(course__isnull=False) | ~Q(default_key=""),
                                   name="evaluation_default_question_has_key"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_likert(self) -> bool:
        return self.kind == self.Kind.LIKERT

    @property
    def is_yes_no(self) -> bool:
        return self.kind == self.Kind.YES_NO


class EvaluationResponse(models.Model):
    """A clinician's completed evaluation of a course; one per clinician per course."""

    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT,
                               related_name="evaluation_responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="evaluation_responses")
    # Set by evaluation_submit, so an evaluation replayed from the past keeps its own time.
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="evaluation_once_per_course"),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.course} by {self.user}"


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(EvaluationResponse, on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(EvaluationQuestion, on_delete=models.PROTECT,
                                 related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    yes_no = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    follow_up_text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"],
                                    name="evaluation_answer_once_per_question"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__range=(1, 5)),
                                   name="evaluation_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in {self.response_id}"
