"""The evaluation form: one field per question, built from the course's questions."""
from django import forms
from django.utils.translation import gettext_lazy as _

from credits.evaluations.models import EvaluationQuestion
from credits.evaluations.selectors import LIKERT_LABELS

YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class EvaluationForm(forms.Form):
    """One field per question, plus a follow-up text field where the question has one."""

    def __init__(self, *args, questions: list[EvaluationQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.is_likert:
                field = forms.TypedChoiceField(
                    choices=list(LIKERT_LABELS[question.scale].items()), coerce=int,
                    widget=forms.RadioSelect, required=question.required)
            elif question.is_yes_no:
                field = forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect,
                                          required=question.required)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                                        max_length=4000, required=question.required)
            field.label = question.text
            self.fields[name] = field
            if question.follow_up_prompt:
                self.fields[f"{name}_follow_up"] = forms.CharField(
                    label=question.follow_up_prompt, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = f"q{question.pk}"
            if (question.follow_up_when == EvaluationQuestion.FollowUpWhen.NO
                    and cleaned.get(name) == "no"
                    and not (cleaned.get(f"{name}_follow_up") or "").strip()):
                self.add_error(f"{name}_follow_up", "Please tell us what you noticed, so the "
                                                    "CME office can follow it up.")
        return cleaned

    def answers(self) -> dict[int, dict]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            answer = {"follow_up_text": self.cleaned_data.get(f"q{question.pk}_follow_up", "")}
            if question.is_likert:
                answer["rating"] = value or None
            elif question.is_yes_no:
                answer["yes_no"] = {"yes": True, "no": False}.get(value)
            else:
                answer["text"] = value or ""
            answers[question.pk] = answer
        return answers
