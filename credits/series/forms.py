"""The series settings, a session's plan, the learner's late-claim request and the
coordinator's refusal."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from credits.series.models import SLIDES_EXTENSIONS, SeriesCoordination, SessionPlan


class SeriesSettingsForm(forms.ModelForm):
    coordinator_email = forms.EmailField(
        label="Coordinator's email", required=False,
        help_text="Someone with a portal account. Leave empty and the course directors "
                  "coordinate.")

    class Meta:
        model = SeriesCoordination
        fields = ["lead_business_days", "late_claims_per_year"]
        labels = {"lead_business_days": "Business days ahead",
                  "late_claims_per_year": "Late claims per learner per year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.coordinator_id and not self.is_bound:
            self.initial["coordinator_email"] = self.instance.coordinator.email

    def clean_coordinator_email(self) -> User | None:
        email = self.cleaned_data["coordinator_email"].strip()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "Nobody with this email has a portal account; ask them to sign up first.")
        return user


class SessionPlanForm(forms.ModelForm):
    class Meta:
        model = SessionPlan
        fields = ["objectives", "slides"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"slides": f"{', '.join(e.upper() for e in SLIDES_EXTENSIONS)}, up to "
                                "50 MB. Uploading replaces the earlier file."}


class LateClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why could you not check in?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the code was not shown, my phone was flat, or I was called "
                    "to the ward and came back. The series coordinator reads it."))


class LateClaimRefuseForm(forms.Form):
    reason = forms.CharField(label="Reason sent to the learner", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
