"""The director's forms: link a session to a meeting, and link an unmatched participant."""
from django import forms
from django.utils.translation import gettext_lazy as _

from credits.virtual.models import Provider


class MeetingLinkForm(forms.Form):
    provider = forms.ChoiceField(label=_("Service"))
    meeting_id = forms.CharField(
        label=_("Meeting ID"), max_length=300,
        help_text=_("Zoom: the meeting or webinar number (e.g. 845 1234 5678). Teams: the "
                    "online meeting ID from Graph."))
    organizer_id = forms.CharField(
        label=_("Teams organizer's user ID"), max_length=100, required=False,
        help_text=_("Teams only: the Entra object ID of the meeting's organizer."))
    join_url = forms.URLField(
        label=_("Join link"), max_length=1000, required=False, assume_scheme="https",
        help_text=_("The meeting's own join link, for learners without a personal one."))

    def __init__(self, *args, providers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(value, Provider(value).label) for value in providers]


class ParticipantLinkForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Learner"), coerce=int)

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.learners = {learner.pk: learner for learner in learners}
        # No learner preselected: a Link pressed without a choice is refused, not misfiled.
        self.fields["user"].choices = [("", _("Choose a learner"))] + [
            (learner.pk, f"{learner.display_name or learner.email} ({learner.email})")
            for learner in learners]

    def learner(self):
        return self.learners[self.cleaned_data["user"]]


class TextingPhoneForm(forms.Form):
    number = forms.CharField(
        label=_("Mobile number"), max_length=30,
        help_text=_("The phone you will text from, e.g. (617) 555-0123 or +44 7700 900123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                      "inputmode": "tel"}))
