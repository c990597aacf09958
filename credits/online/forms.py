"""The post-test form: one fieldset per question, radios or checkboxes, in the attempt's order."""
from django import forms

from courses.questions.models import Question


class PostTestForm(forms.Form):
    def __init__(self, *args, items: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            question = item["question"]
            choices = [(option.pk, option.text) for option in item["options"]]
            name = f"q{question.pk}"
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple,
                    error_messages={"required": "Choose at least one answer."})
            else:
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect,
                    error_messages={"required": "Choose an answer."})
            field.label = f"{item['number']}. {question.stem}"
            self.fields[name] = field
            item["field_name"] = name

    def question_fields(self) -> list[dict]:
        return [{"item": item, "field": self[item["field_name"]]} for item in self.items]

    def answers(self) -> dict[int, list[int]]:
        result = {}
        for item in self.items:
            value = self.cleaned_data.get(item["field_name"])
            if value in (None, "", []):
                continue
            result[item["question"].pk] = value if isinstance(value, list) else [value]
        return result
