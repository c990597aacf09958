"""Forms for claims, external credits, transcript filters and voiding records."""
from decimal import Decimal

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.credit_types import credit_amount_display, is_quarter_step
from courses.credittypes.selectors import credit_type_catalog, credit_type_info
from courses.models import Topic
from credits.ledger.external import CERTIFICATE_EXTENSIONS
from credits.ledger.selectors import ClaimOption, ClaimStatus
from credits.ledger.transcript import TranscriptFilters


def _amount_choices(option: ClaimOption) -> list[tuple[str, str]]:
    # Amounts alone: the field's label names the credit type, and long option text is cut off
    # on phones.
    return [(str(amount), number_format(amount, decimal_pos=2))
            for amount in option.allowed_amounts]


def _claim_limit_text(option: ClaimOption, status: ClaimStatus) -> str:
    """The maximum and, when attendance set it, why (the minutes, rounded to the quarter)."""
    if not option.capped_by_attendance:
        return gettext("Up to %(maximum)s.") % {"maximum": option.maximum_display}
    return gettext("Up to %(maximum)s: the %(minutes)s minutes you attended, rounded to the "
                   "nearest quarter hour (%(designated)s are designated).") % {
        "maximum": option.maximum_display, "minutes": status.minutes_attended,
        "designated": credit_amount_display(option.designated_max, option.credit_type)}


class ClaimForm(forms.Form):
    """A select per credit type still open to claim, defaulting to the most allowed."""

    def __init__(self, *args, status: ClaimStatus, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = status.open_options
        for option in self.options:
            self.fields[option.credit_type] = forms.ChoiceField(
                label=credit_type_info(option.credit_type).unit_plural,
                choices=[*_amount_choices(option), ("", gettext("Do not claim this type"))],
                initial=str(option.maximum), required=False,
                help_text=_claim_limit_text(option, status))
        if status.course.is_self_paced and self.options:
            # Enduring material has no attendance record: the learner attests the time spent.
            self.fields["attest_time"] = forms.BooleanField(
                label=gettext("I attest that the credit I claim matches the time I spent on "
                              "this activity."), required=True,
                error_messages={"required": gettext("Confirm the time you spent before you "
                                                    "claim.")})

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.amounts():
            raise ValidationError(_("Choose an amount for at least one credit type."))
        return cleaned

    def amounts(self) -> dict[str, Decimal]:
        return {credit_type: Decimal(value) for credit_type, value in self.cleaned_data.items()
                if value and credit_type != "attest_time"}


class ClaimChangeForm(forms.Form):
    """Change the amount of one credit type already claimed."""

    record = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.ChoiceField(label=_("New amount"))

    def __init__(self, *args, option: ClaimOption, **kwargs):
        super().__init__(*args, **kwargs)
        self.option = option
        self.fields["record"].initial = option.claimed.pk
        self.fields["amount"].choices = _amount_choices(option)
        units = credit_type_info(option.credit_type).unit_plural
        self.fields["amount"].label = gettext("New amount (%(units)s)") % {"units": units}
        self.fields["amount"].initial = str(option.claimed.amount)
        self.prefix = f"change-{option.credit_type}"

    def clean_record(self):
        if self.cleaned_data["record"] != self.option.claimed.pk:
            raise ValidationError(_("That credit record has changed; reload the page."))
        return self.cleaned_data["record"]


def sniff_certificate_type(uploaded) -> str | None:
    """The file's real type from its first bytes (never its name), or None if not allowed."""
    uploaded.seek(0)
    kind = filetype.guess(uploaded.read(261))
    uploaded.seek(0)
    if kind is None or kind.mime not in CERTIFICATE_EXTENSIONS:
        return None
    return kind.mime


class ExternalActivityForm(forms.Form):
    provider = forms.CharField(max_length=200, help_text="Who awarded the credit, e.g. ACP.")
    title = forms.CharField(max_length=200, label="Activity title")
    completed_on = forms.DateField(label="Completion date",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    credit_type = forms.ChoiceField(choices=lambda: credit_type_catalog().choices())
    amount = forms.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.25"),
                                max_value=Decimal("100"), help_text="In steps of 0.25.",
                                widget=forms.NumberInput(attrs={"step": "0.25"}))
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Topics licence boards mandate that this activity covered.")
    certificate = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.EXTERNAL_CERTIFICATE_MAX_BYTES)
        self.fields["certificate"].help_text = (
            f"The certificate you were given: PDF, PNG or JPEG, up to {limit}.")

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise ValidationError("The completion date is in the future; check the date.")
        return completed_on

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if not is_quarter_step(amount):
            raise ValidationError("Enter the amount in steps of 0.25, e.g. 1.25 or 1.50.")
        return amount

    def clean_certificate(self):
        certificate = self.cleaned_data["certificate"]
        limit = settings.EXTERNAL_CERTIFICATE_MAX_BYTES
        if certificate.size > limit:
            raise ValidationError(f"The file is {filesizeformat(certificate.size)}; the limit is "
                                  f"{filesizeformat(limit)}. Upload a smaller scan or a PDF.")
        if sniff_certificate_type(certificate) is None:
            raise ValidationError("That file is not a PDF, PNG or JPEG. Upload the certificate "
                                  "as one of those.")
        return certificate


class TranscriptFilterForm(forms.Form):
    label_suffix = ""

    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    credit_type = forms.ChoiceField(label=_("Credit type"), required=False,
                                    choices=lambda: [("", _("All credit types")),
                                                     *credit_type_catalog().choices()])
    voided = forms.BooleanField(label=_("Show voided records"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise ValidationError(_("The 'From' date is after the 'To' date."))
        return cleaned

    def filters(self) -> TranscriptFilters:
        """The filters chosen, or none (everything active) when the form is empty or invalid."""
        if not (self.is_bound and self.is_valid()):
            return TranscriptFilters()
        return TranscriptFilters(start=self.cleaned_data["start"], end=self.cleaned_data["end"],
                                 credit_type=self.cleaned_data["credit_type"],
                                 include_voided=self.cleaned_data["voided"])


class VoidReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             help_text="Kept in the audit trail and shown on the transcript.")
