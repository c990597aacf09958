"""Forms of the disclosure package: the self-disclosure (attestation, relationships, signature),
a mitigation decision and a commercial support record."""
from django import forms

from courses.disclosures.models import CommercialSupport, FinancialRelationship, Mitigation
from courses.disclosures.services import DisclosedRelationship
from courses.forms import CHOICE_LIST

EMPTY_CHOICE = [("", "Choose…")]


class DisclosureSignForm(forms.Form):
    none_to_disclose = forms.BooleanField(
        required=False,
        label="I have had no financial relationships with any ineligible company in the past "
              "24 months.")
    signature = forms.CharField(
        max_length=150, label="Type your full name to sign",
        help_text="Your typed name is your signature; the date is recorded with it.")


class RelationshipForm(forms.Form):
    company = forms.CharField(max_length=200, required=False, label="Ineligible company",
                              help_text="The company's name only, e.g. Novartis.")
    nature = forms.ChoiceField(choices=EMPTY_CHOICE + FinancialRelationship.Nature.choices,
                               required=False, label="Nature of the relationship")
    ownership = forms.ChoiceField(
        choices=EMPTY_CHOICE + FinancialRelationship.Ownership.choices, required=False,
        label="For ownership interest",
        help_text="Disclose individual stocks and stock options; diversified mutual funds need "
                  "not be disclosed.")
    ended_on = forms.DateField(required=False, label="Ended on",
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="Leave empty if it continues.")

    def relationship(self) -> DisclosedRelationship | None:
        data = self.cleaned_data
        if not (data.get("company") or data.get("nature") or data.get("ownership")
                or data.get("ended_on")):
            return None
        return DisclosedRelationship(company=data.get("company", ""),
                                     nature=data.get("nature", ""),
                                     ownership=data.get("ownership", ""),
                                     ended_on=data.get("ended_on"))


RelationshipFormSet = forms.formset_factory(RelationshipForm, extra=0, min_num=1,
                                            max_num=20, absolute_max=20)


class MitigationForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label="Relevant to the content this person controls?",
        choices=[("yes", "Relevant: the content relates to the company's business lines or "
                         "products"), ("no", "Not relevant")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect(attrs=CHOICE_LIST))
    step = forms.ChoiceField(choices=EMPTY_CHOICE + Mitigation.Step.choices,
                             label="Mitigation step")
    other_text = forms.CharField(max_length=300, required=False, label="Describe the step",
                                 help_text="When the step is Other.")
    owner_exception = forms.ChoiceField(
        choices=EMPTY_CHOICE + Mitigation.Exception.choices, required=False,
        label="Owner or employee: the exception that applies")


class CommercialSupportForm(forms.ModelForm):
    agreement = forms.FileField(
        required=False, label="Signed written agreement (PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text="Signed by the ineligible company and the CME office before the activity.")

    class Meta:
        model = CommercialSupport
        fields = ["supporter", "amount", "in_kind", "agreement_signed_on"]
        widgets = {"agreement_signed_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"agreement_signed_on": "Date the agreement was signed"}
