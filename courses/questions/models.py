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


class DrillSettings(models.Model):
    """How a practice drill is delivered, spaced and retired (credits.drills applies it).

    Leitner spacing: a wrong answer comes back at the next delivery; a right one after the next
    interval in `intervals_days` (4, then 10, then 21 days by default). A question is retired
    after `retire_after_correct` right answers in a row, the last two at least
    `retire_min_days_apart` days apart; the drill is complete when every question is retired.
    """

    course = models.OneToOneField(Course, on_delete=models.PROTECT, related_name="drill_settings")
    questions_per_delivery = models.PositiveSmallIntegerField(
        default=2, help_text="Questions in each morning's email.")
    delivery_hour = models.PositiveSmallIntegerField(
        default=7, help_text="Local hour (0-23) from which the day's questions go out.")
    quiet_hour = models.PositiveSmallIntegerField(
        default=20, help_text="Local hour from which nothing is sent until the next morning.")
    weekdays_only = models.BooleanField(default=True, help_text="No questions on Saturdays and "
                                                                "Sundays.")
    intervals_days = models.CharField(
        max_length=100, default="4,10,21",
        help_text="Days until a question answered right comes back, one per right answer in a "
                  "row (the last repeats).")
    retire_after_correct = models.PositiveSmallIntegerField(
        default=2, help_text="Right answers in a row that retire a question.")
    retire_min_days_apart = models.PositiveSmallIntegerField(
        default=7, help_text="The last two of those right answers are at least this many days "
                             "apart.")

    class Meta:
        verbose_name_plural = "drill settings"
        constraints = [
            models.CheckConstraint(condition=Q(questions_per_delivery__gte=1,
                                               questions_per_delivery__lte=10),
                                   name="drill_questions_per_delivery_range"),
            models.CheckConstraint(condition=Q(delivery_hour__lte=23, quiet_hour__lte=24)
                                   & Q(delivery_hour__lt=models.F("quiet_hour")),
                                   name="drill_delivery_hours_ordered"),
            models.CheckConstraint(condition=Q(retire_after_correct__gte=1),
                                   name="drill_retire_after_correct_positive"),
        ]

    def __str__(self) -> str:
        return f"Drill settings of {self.course}"

    @property
    def intervals(self) -> list[int]:
        return [int(part) for part in self.intervals_days.split(",") if part.strip()] or [1]

    @property
    def intervals_display(self) -> str:
        """ "4, then 10, then 21 days" """
        return ", then ".join(str(days) for days in self.intervals) + " days"

    @property
    def delivery_time_display(self) -> str:
        return f"{self.delivery_hour:02d}:00"
