"""Forms of checklists: the educator's builder, authorising a validator, a validator's entry
for one skill, the learner's self-assessment, and the office's assignment of a checklist."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.credit_types import CreditType
from courses.credittypes.selectors import credit_type_catalog
from credits.assignments.forms import AssignmentForm
from credits.assignments.models import Assignment
from credits.checklists.models import Checklist, Skill, SkillValidation, Unit
from credits.checklists.services import DEFAULT_RATING_SCALE

OUTLINE_EXAMPLE = """Section: Central venous access
Skill: Central-line dressing change | observation, return demonstration
- Performs hand hygiene; dons mask and sterile gloves
- Applies chlorhexidine scrub for 30 seconds and lets it dry"""


class ChecklistForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outline = forms.CharField(
        label="Sections, skills and critical steps",
        widget=forms.Textarea(attrs={"rows": 16, "class": "monospace"}),
        help_text="“Section: title”, then “Skill: title | accepted methods” (observation, "
                  "return demonstration, simulation, verbal, test), then its critical steps, "
                  "one “- step” a line. Saving a change makes a new version.")
    rating_scale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), initial="\n".join(DEFAULT_RATING_SCALE),
        help_text="One level a line, lowest first.")
    expires_after_months = forms.IntegerField(
        required=False, min_value=1, max_value=60, label="Expires after (months)",
        help_text="Empty: the validation does not expire.")
    credit_type = forms.ChoiceField(choices=lambda: credit_type_catalog().choices(
                                        designable_only=True),
                                    initial=CreditType.PARTICIPATION,
                                    label="On the transcript as")
    hours = forms.DecimalField(min_value=0.25, max_digits=5, decimal_places=2, initial=1)
    resources = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: “title | link” (a policy, a lesson, a drill).")
    document = forms.FileField(required=False, label="Policy document (PDF)",
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def clean_rating_scale(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["rating_scale"].splitlines()
                if line.strip()]

    def clean_resources(self) -> list[tuple[str, str]]:
        resources = []
        for line in self.cleaned_data["resources"].splitlines():
            title, _, url = line.partition("|")
            if not title.strip():
                continue
            url = url.strip()
            if url and not url.startswith(("https://", "http://", "/")):
                raise forms.ValidationError(f"“{url}” is not a link.")
            resources.append((title.strip(), url))
        return resources


class ValidatorForm(forms.Form):
    email = forms.EmailField(label="Validator's email")
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False,
                                  empty_label="Learners of every unit")

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError("Nobody with this email has an account on the portal.")
        return user


class SkillValidationForm(forms.Form):
    """One skill's entry on the phone: the status is the button pressed."""

    status = forms.ChoiceField(choices=SkillValidation.Status.choices)
    method = forms.ChoiceField(choices=(), required=False, label=_("Method"))
    level = forms.TypedChoiceField(choices=(), coerce=int, required=False, label=_("Level"))
    validated_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, label=_("Note"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(required=False, label=_("Photo or document"),
                               widget=forms.ClearableFileInput(
                                   attrs={"accept": "image/*,.pdf", "capture": "environment"}))
    correction_reason = forms.CharField(required=False, label=_("Reason for the correction"))

    def __init__(self, *args, skill: Skill, rating_scale: list[str], **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("validated_on", timezone.localdate())
        if skill.methods:
            kwargs["initial"].setdefault("method", skill.methods[0])
        kwargs.setdefault("prefix", f"skill-{skill.pk}")
        super().__init__(*args, **kwargs)
        self.skill = skill
        self.fields["method"].choices = skill.method_choices
        self.fields["level"].choices = [(number, f"{number} — {label}")
                                        for number, label in enumerate(rating_scale, start=1)]


class SelfAssessmentForm(forms.Form):
    skill = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(choices=(), coerce=int, label=_("My level"))

    def __init__(self, *args, rating_scale: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(number, f"{number} — {label}")
                                        for number, label in enumerate(rating_scale, start=1)]


class ChecklistAssignmentForm(AssignmentForm):
    """Assigned learning's form with a published checklist in place of the activity. No
    "repeats": the checklist's own expiry reopens the assignment for re-validation."""

    checklist = forms.ModelChoiceField(queryset=Checklist.objects.filter(is_published=True),
                                       label="Checklist", empty_label=None)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False,
                                  label="Unit", help_text="Its people, managers aside.")
    field_order = ["checklist", "title", "target", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["course"], self.fields["recurrence"]
        self.fields["target"].choices = [*self.fields["target"].choices,
                                         (Assignment.Target.UNIT, Assignment.Target.UNIT.label)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Assignment.Target.UNIT:
            if cleaned.get("unit") is None:
                self.add_error("unit", "Choose the unit.")
            else:
                cleaned["target_value"] = str(cleaned["unit"].pk)
        return cleaned
