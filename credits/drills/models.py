"""A learner in a drill, each question's schedule, what was delivered and what was answered.

Deliveries and answers are never deleted (PROTECT and a read-only admin): an answer is the
evidence behind a retirement, so behind the drill's completion and its credit.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.models import Course
from courses.questions.models import Question, QuestionOption


class DrillEnrolment(models.Model):
    """One learner taking one drill."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="drill_enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="drill_enrolments")
    joined_at = models.DateTimeField()
    # The learner's local day of the last delivery: the scan's "already sent today" guard.
    last_delivered_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"],
                                               name="drill_enrolment_one_per_learner")]
        indexes = [models.Index(fields=["completed_at", "last_delivered_on"])]

    def __str__(self) -> str:
        return f"{self.user} in the drill {self.course}"


class DrillCard(models.Model):
    """One question's Leitner schedule for one learner."""

    enrolment = models.ForeignKey(DrillEnrolment, on_delete=models.PROTECT, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="drill_cards")
    due_on = models.DateField()
    correct_streak = models.PositiveSmallIntegerField(default=0)
    last_correct_on = models.DateField(null=True, blank=True)
    times_answered = models.PositiveIntegerField(default=0)
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "question"],
                                               name="drill_card_one_per_question")]
        indexes = [models.Index(fields=["enrolment", "retired_on", "due_on"])]

    def __str__(self) -> str:
        return f"Card {self.question_id} of {self.enrolment}"


class DrillDelivery(models.Model):
    """A question sent to a learner on one local day (by email and on the site)."""

    enrolment = models.ForeignKey(DrillEnrolment, on_delete=models.PROTECT,
                                  related_name="deliveries")
    card = models.ForeignKey(DrillCard, on_delete=models.PROTECT, related_name="deliveries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "drill deliveries"
        constraints = [models.UniqueConstraint(fields=["card", "delivered_on"],
                                               name="drill_delivery_once_a_day")]
        indexes = [models.Index(fields=["enrolment", "delivered_on"])]

    def __str__(self) -> str:
        return f"Question {self.question_id} to {self.enrolment} on {self.delivered_on}"


class DrillAnswer(models.Model):
    """The one answer to a delivery: a double click, a second tab or a replayed link find it."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email link"
        SITE = "site", "On the site"

    delivery = models.OneToOneField(DrillDelivery, on_delete=models.PROTECT,
                                    related_name="answer")
    option = models.ForeignKey(QuestionOption, on_delete=models.PROTECT, related_name="+")
    is_correct = models.BooleanField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered_at = models.DateTimeField()
    answered_on = models.DateField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(channel__in=["email", "site"]),
                                              name="drill_answer_channel_known")]

    def __str__(self) -> str:
        return f"Answer to {self.delivery}"
