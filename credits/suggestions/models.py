"""A learner's dismissed suggestions: a dismissed suggestion stays dismissed."""
from django.conf import settings
from django.db import models


class SuggestionDismissal(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="suggestion_dismissals")
    # The suggestion's key: its rule and what it names ("shortfall:3:41", "pathway:7:12").
    key = models.CharField(max_length=80)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="suggestion_dismissed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed {self.key}"
