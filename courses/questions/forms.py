from django import forms

from .models import Question

OPTION_ROWS = 5


class PostTestSettingsForm(forms.Form):
    passing_percent = forms.IntegerField(min_value=1, max_value=100, initial=70,
                                         label="Passing score (%)")
    max_attempts = forms.IntegerField(min_value=1, required=False, label="Maximum attempts",
                                      help_text="Empty for unlimited.")
    shuffle = forms.BooleanField(required=False, initial=True,
                                 label="Shuffle questions and options for each attempt")
    pool_size = forms.IntegerField(min_value=1, required=False, label="Questions per attempt",
                                   help_text="Drawn from the bank; empty for all.")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices, label="Type")
    stem = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Question")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Shown to learners after their attempt.")
    reference = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, OPTION_ROWS + 1):
            self.fields[f"option_{n}"] = forms.CharField(max_length=500, required=False,
                                                         label=f"Option {n}")
            self.fields[f"correct_{n}"] = forms.BooleanField(required=False,
                                                             label=f"Option {n} is correct")

    def options(self):
        from .services import OptionInput

        return [OptionInput(self.cleaned_data[f"option_{n}"], self.cleaned_data[f"correct_{n}"])
                for n in range(1, OPTION_ROWS + 1)]

    @staticmethod
    def initial_for(question: Question) -> dict:
        initial = {"kind": question.kind, "stem": question.stem,
                   "rationale": question.rationale, "reference": question.reference}
        for n, option in enumerate(question.options.all(), start=1):
            initial[f"option_{n}"], initial[f"correct_{n}"] = option.text, option.is_correct
        return initial
