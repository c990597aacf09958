"""Forms for sign-up, the profile and licences."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .choices import Degree, Profession, profession_choices
from .models import Licence, User


class SignupForm(forms.Form):
    """Extra fields allauth's sign-up asks for (email and password come from allauth)."""

    full_name = forms.CharField(max_length=150, label="Full name",
                                help_text="As it should appear on your certificates.",
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    profession = forms.ChoiceField(choices=profession_choices, initial=Profession.PHYSICIAN)
    degree = forms.ChoiceField(choices=[("", "Choose…"), *Degree.choices], required=False)

    field_order = ["full_name", "email", "profession", "degree", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.profession = self.cleaned_data["profession"]
        user.degree = self.cleaned_data["degree"]
        user.save(update_fields=["full_name", "profession", "degree"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "degree", "profession", "specialty", "npi", "certifying_board",
                  "board_id", "nabp_eprofile_id", "birth_month", "birth_day", "time_zone",
                  "language", "consents_to_credit_reporting"]
        # Autocomplete tokens name the fields' purpose for browsers and assistive technology
        # (WCAG 1.3.5, docs/accessibility-conformance-report.md).
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"}),
                   "birth_month": forms.Select(attrs={"autocomplete": "bday-month"}),
                   "birth_day": forms.NumberInput(attrs={"min": 1, "max": 31,
                                                         "autocomplete": "bday-day"})}
        help_texts = {"birth_month": "Month and day only: ACCME reports use no birth year."}

    def clean_npi(self) -> str:
        return self.cleaned_data["npi"].replace(" ", "").replace("-", "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("profession") == Profession.PHARMACIST and cleaned.get(
                "consents_to_credit_reporting") and not cleaned.get("nabp_eprofile_id"):
            self.add_error("nabp_eprofile_id",
                           "Pharmacy credit is reported to CPE Monitor by NABP e-Profile ID; "
                           "add it or untick the reporting consent.")
        return cleaned


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["state", "profession", "number", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on.year < timezone.localdate().year - 10:
            raise ValidationError("That expiry date is more than ten years ago; check the year.")
        return expires_on

    def clean(self):
        cleaned = super().clean()
        duplicate = Licence.objects.filter(user=self.user, state=cleaned.get("state"),
                                           profession=cleaned.get("profession"))
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise ValidationError("You already have a licence for this state and profession; "
                                  "edit that one instead.")
        return cleaned


class AccessTokenForm(forms.Form):
    """Name, scopes and optional expiry of a new API token; `form_key` makes a double submit
    create one token, not two."""

    name = forms.CharField(max_length=100, help_text="What will use it, for example "
                                                     "“Board renewal app”.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple,
                                       help_text="What the token may use. Choose only what the "
                                                 "other system needs.")
    expires_on = forms.DateField(label="Expires on", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="Leave empty for a token that works until you "
                                           "revoke it.")
    form_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        from .models import AccessToken

        self.fields["scopes"].choices = [(scope, AccessToken.Scope(scope).label)
                                         for scope in scopes]
