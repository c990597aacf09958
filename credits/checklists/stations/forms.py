"""Forms of competency days: the director's station, and the validator's tap."""
from django import forms
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from credits.checklists.models import Checklist, ChecklistVersion, Skill, ValidationMethod
from credits.checklists.stations.services import TAP_STATUSES


class _SkillChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, skill: Skill) -> str:
        return f"{skill.section.version.checklist.title}: {skill.title}"


def _current_skills():
    newest = (ChecklistVersion.objects.filter(checklist=OuterRef("section__version__checklist"))
              .values("checklist").annotate(newest=Max("number")).values("newest"))
    return (Skill.objects.filter(section__version__checklist__is_published=True,
                                 section__version__number=Subquery(newest))
            .select_related("section__version__checklist")
            .order_by("section__version__checklist__title", "section__position", "position"))


class StationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Station name",
                           help_text="For example “Station 2: Central-line care”.")
    checklist = forms.ModelChoiceField(queryset=Checklist.objects.filter(is_published=True),
                                       label="Checklist", empty_label=None)
    skills = _SkillChoice(
        queryset=_current_skills(), required=False, label="Skills at this station",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Leave empty for every skill of the checklist; choose some for a station that "
                  "covers part of it.")
    validator = forms.EmailField(label="Validator's email",
                                 help_text="The preceptor or educator running the station.")
    method = forms.ChoiceField(choices=ValidationMethod.choices, label="Method recorded",
                               initial=ValidationMethod.SIMULATION)
    level = forms.IntegerField(min_value=1, max_value=10, initial=3, label="Level recorded",
                               help_text="The level on the checklist's rating scale a tap "
                                         "records (1 is the lowest).")

    def clean_validator(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["validator"],
                                   is_active=True).first()
        if user is None:
            raise forms.ValidationError("Nobody with this email has an account on the portal.")
        return user

    def clean(self):
        cleaned = super().clean()
        checklist, skills = cleaned.get("checklist"), cleaned.get("skills") or []
        others = [skill.title for skill in skills
                  if checklist and skill.section.version.checklist_id != checklist.pk]
        if others:
            self.add_error("skills", f"Choose skills of “{checklist.title}” only: "
                                     f"{', '.join(others)} belong to another checklist.")
        return cleaned


class StationTapForm(forms.Form):
    skill = forms.IntegerField()
    status = forms.ChoiceField(choices=[(status.value, status.label) for status in TAP_STATUSES],
                               error_messages={"required": _("Tap validated or needs "
                                                             "remediation.")})
