"""Questions with their options, correct answers, rationale and reference; post-test settings."""
from django.db import models
from django.db.models import Q

from courses.models import Course


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single best answer"
        MULTIPLE = "multiple", "Multiple select (choose all that apply)"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    stem = models.TextField(help_text="The question, with any clinical vignette.")
    rationale = models.TextField(help_text="Why the correct answer is right; shown after the "
                                           "attempt.")
    reference = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Retired questions leave the bank but stay for the attempts that asked them.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.stem[:80]


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class PostTest(models.Model):
    """How an enduring activity's post-test is given and passed."""

    course = models.OneToOneField(Course, on_delete=models.PROTECT, related_name="post_test")
    passing_percent = models.PositiveSmallIntegerField(default=70)
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for unlimited attempts.")
    shuffle = models.BooleanField(default=True, help_text="Shuffle questions and options for "
                                                          "each attempt.")
    pool_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Ask this many questions drawn from the bank; empty "
                                         "for all.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(passing_percent__gte=1, passing_percent__lte=100),
                                   name="post_test_passing_percent_range"),
            models.CheckConstraint(condition=Q(max_attempts__isnull=True) | Q(max_attempts__gt=0),
                                   name="post_test_max_attempts_positive"),
            models.CheckConstraint(condition=Q(pool_size__isnull=True) | Q(pool_size__gt=0),
                                   name="post_test_pool_size_positive"),
        ]

    def __str__(self) -> str:
        return f"Post-test of {self.course}"
