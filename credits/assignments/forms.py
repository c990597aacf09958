"""The CME office's form for a new assignment: what, for whom, by when."""
from django import forms
from django.conf import settings

from accounts.choices import US_STATES, profession_choices
from accounts.roles import Role
from credits.assignments.models import Assignment
from credits.assignments.selectors import assignable_courses

_TARGET_FIELDS = {Assignment.Target.PROFESSION: "profession",
                  Assignment.Target.SPECIALTY: "specialty", Assignment.Target.ROLE: "role",
                  Assignment.Target.LICENCE_STATE: "licence_state",
                  Assignment.Target.EMAIL_LIST: "email_file"}


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=assignable_courses(), label="Activity",
        help_text="A published online activity the learner completes on the portal.")
    title = forms.CharField(max_length=200, label="Name learners see",
                            help_text="For example “Annual infection control 2027”.")
    target = forms.ChoiceField(
        choices=[choice for choice in Assignment.Target.choices
                 if choice[0] != Assignment.Target.UNIT],
        label="Assign to", widget=forms.RadioSelect)
    profession = forms.ChoiceField(choices=lambda: [("", "—"), *profession_choices()],
                                   required=False)
    specialty = forms.CharField(max_length=100, required=False,
                                help_text="As learners enter it in their profile, e.g. "
                                          "“Critical care”.")
    role = forms.ChoiceField(choices=[("", "—"), *Role.choices], required=False,
                             label="Portal role")
    licence_state = forms.ChoiceField(choices=[("", "—"), *US_STATES], required=False,
                                      label="Licensed in")
    email_file = forms.FileField(
        required=False, label="Email list (CSV)",
        help_text="One address per row, or a column headed Email. You will see every row "
                  "checked before anyone is assigned.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}))
    due = forms.ChoiceField(choices=Assignment.Due.choices, initial=Assignment.Due.FIXED,
                            widget=forms.RadioSelect, label="Due")
    due_on = forms.DateField(required=False, label="Due date",
                             widget=forms.DateInput(attrs={"type": "date"}))
    due_days = forms.IntegerField(required=False, min_value=1, max_value=365,
                                  label="Days after assignment",
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    recurrence = forms.ChoiceField(choices=Assignment.Recurrence.choices,
                                   initial=Assignment.Recurrence.NONE, widget=forms.RadioSelect,
                                   label="Repeats")

    def clean_email_file(self):
        upload = self.cleaned_data.get("email_file")
        if upload and upload.size > settings.ATTENDANCE_IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is too large; upload the list of addresses "
                                        "only.")
        return upload

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        field = _TARGET_FIELDS.get(target)
        if field and not cleaned.get(field):
            self.add_error(field, "Choose who the training is for." if field != "email_file"
                           else "Upload the list of email addresses.")
        cleaned["target_value"] = "" if not field or field == "email_file" else (
            cleaned.get(field) or "")
        if cleaned.get("due") == Assignment.Due.FIXED and not cleaned.get("due_on"):
            self.add_error("due_on", "Choose the due date.")
        if cleaned.get("due") == Assignment.Due.AFTER and not cleaned.get("due_days"):
            self.add_error("due_days", "Say how many days learners have.")
        return cleaned


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Everyone"), ("overdue", "Overdue"),
                                        ("in_progress", "In progress"), ("done", "Done")],
                               required=False, label="Show")
