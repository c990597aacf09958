"""Forms for check-in, the roster and attendance import."""
from django import forms
from django.utils.translation import gettext_lazy as _

from credits.attendance.selectors import RosterRow
from credits.attendance.services import RosterMark


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"), max_length=12,
        help_text=_("The 6 letters and digits shown on the screen in the room."),
        widget=forms.TextInput(attrs={
            "class": "checkin-code-input", "autocomplete": "off", "autocapitalize": "characters",
            "autocorrect": "off", "spellcheck": "false", "enterkeyhint": "go",
            "autofocus": True,
        }))


class RosterForm(forms.Form):
    """One present checkbox and one minutes box per clinician on the roster."""

    def __init__(self, *args, rows: list[RosterRow], session_minutes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            attendance = row.attendance
            name = row.user.display_name
            self.fields[f"present_{row.user.pk}"] = forms.BooleanField(
                label=f"{name} present", required=False, initial=row.is_present)
            self.fields[f"minutes_{row.user.pk}"] = forms.IntegerField(
                label=f"Minutes {name} attended", required=False, min_value=0,
                max_value=session_minutes,
                initial=attendance.minutes_attended if attendance else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric",
                                                "placeholder": "all"}))

    def bound_rows(self):
        for row in self.rows:
            yield row, self[f"present_{row.user.pk}"], self[f"minutes_{row.user.pk}"]

    def marks(self) -> dict[int, RosterMark]:
        return {row.user.pk: RosterMark(present=self.cleaned_data[f"present_{row.user.pk}"],
                                        minutes_attended=self.cleaned_data[f"minutes_{row.user.pk}"])
                for row in self.rows}


class AttendanceImportForm(forms.Form):
    report = forms.FileField(
        label="Participant report (CSV)",
        help_text="A Zoom or Teams participant report, or any CSV with an email column and "
                  "either a duration in minutes or join and leave times.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}))


class AttendanceOverrideForm(forms.Form):
    """The director's correction of one learner's attendance, with the reason audited."""

    present = forms.BooleanField(label=_("Present"), required=False)
    minutes_attended = forms.IntegerField(
        label=_("Minutes attended"), required=False, min_value=0,
        help_text=_("Leave empty for the whole session."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail, e.g. “Seen in the room from the start; the "
                    "badge reader was down.”"))

    def __init__(self, *args, session_minutes: int, attendance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_attended"].widget.attrs["max"] = session_minutes
        if attendance is not None:
            self.fields["present"].initial = attendance.status == "present"
            self.fields["minutes_attended"].initial = attendance.minutes_attended
