"""Forms for pathways: the office's pathway, group, step and assignment forms, and the learner's
record of an external activity."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import US_STATES, profession_choices
from accounts.roles import Role
from courses.forms import SessionForm
from courses.models import Course, Faculty, Session
from credits.assignments.models import Assignment
from credits.checklists.models import Checklist
from credits.pathways.models import Cohort, Pathway, Step


class PathwayForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example “New graduate nurse "
                                                      "residency 2027”.")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Who it is for and what it prepares them to do.")
    entry = forms.ChoiceField(choices=Pathway.Entry.choices, widget=forms.RadioSelect,
                              initial=Pathway.Entry.OPEN, label="How learners join")
    time_limit_days = forms.IntegerField(
        required=False, min_value=1, max_value=1500, label="Time limit (days)",
        help_text="Days from joining to finish; leave empty for no limit.")


class StepGroupForm(forms.Form):
    title = forms.CharField(max_length=120, label="Group name",
                            help_text="For example “Core” or “Choose one elective”.")
    required_count = forms.IntegerField(
        required=False, min_value=1, max_value=50, label="Steps needed",
        help_text="Leave empty when every step of the group is required; 1 for “1 of these”.")


class StepForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(choices=Step.Kind.choices, label="Kind of step")
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(status=Course.Status.PUBLISHED).order_by("title"),
        required=False, label="Activity",
        help_text="For a live course, online module or drill: a published activity of that "
                  "format.")
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.filter(status=Assignment.Status.ACTIVE).select_related(
            "course"), required=False, label="Assigned training")
    checklist = forms.ModelChoiceField(
        queryset=Checklist.objects.filter(is_published=True).order_by("title"), required=False,
        label="Skills checklist",
        help_text="For a skills checklist step: validated at the bedside, it completes the step.")
    title = forms.CharField(max_length=200, required=False, label="External activity",
                            help_text="For an external activity, e.g. “ACLS provider course "
                                      "(American Heart Association)”.")
    instructions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    prerequisite = forms.ModelChoiceField(queryset=None, required=False,
                                          label="Unlocks after")
    earlier_completion_days = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label="Earlier completion counts within "
                                                           "(days)",
        help_text="Empty: a completion from any time before joining counts; 0: only after "
                  "joining.")
    due_days_after_start = forms.IntegerField(required=False, min_value=0, max_value=1500,
                                              label="Due (days after joining)")

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = version.groups.all()
        self.fields["prerequisite"].queryset = version.steps.select_related(
            "course", "assignment", "checklist")


class AssignForm(forms.Form):
    target = forms.ChoiceField(choices=[choice for choice in Assignment.Target.choices
                                        if choice[0] != Assignment.Target.EMAIL_LIST],
                               label="Assign to")
    profession = forms.ChoiceField(choices=lambda: [("", "—"), *profession_choices()],
                                   required=False)
    specialty = forms.CharField(max_length=100, required=False)
    role = forms.ChoiceField(choices=[("", "—"), *Role.choices], required=False,
                             label="Portal role")
    licence_state = forms.ChoiceField(choices=[("", "—"), *US_STATES], required=False,
                                      label="Licensed in")
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, empty_label="No cohort: start today",
        help_text="Learners of a cohort start on its start date; step due dates count from it.")

    def __init__(self, *args, pathway: Pathway, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = pathway.cohorts.order_by("starts_on")

    def clean(self):
        data = super().clean()
        field = {"profession": "profession", "specialty": "specialty", "role": "role",
                 "licence_state": "licence_state"}.get(data.get("target"))
        if field and not data.get(field):
            self.add_error(field, "Choose who, for the group you picked.")
        data["target_value"] = data.get(field, "") if field else ""
        return data


class ExternalRecordForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=300, required=False, label=_("Where and with whom"),
                           help_text=_("For example the provider and your card number."))


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For example “Spring 2027”.")
    starts_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}),
                                help_text="Step due dates count from this day.")
    places = forms.IntegerField(required=False, min_value=1, max_value=500)
    applications_close_on = forms.DateField(
        required=False, label="Applications close on",
        widget=forms.DateInput(attrs={"type": "date"}))
    application_prompt = forms.CharField(
        required=False, label="What applicants write about",
        widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(forms.Form):
    statement = forms.CharField(label=_("Your application"),
                                widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accepted", "Accept"), ("waitlisted", "Waitlist"),
                                          ("declined", "Decline")])


class CohortSessionForm(SessionForm):
    """A new session of a live course step, kept for the cohort: a course session's own form
    (no faculty: the course's session page adds them), with the step's activity first."""

    fieldset_layout = [
        ("Activity", ["course"]),
        ("When", ["date", ("start_time", "end_time"), "time_zone"]),
        ("Where", ["title", "location", "online_url", "capacity"]),
    ]
    field_order = ["course"]

    course = forms.ModelChoiceField(queryset=Course.objects.none(), empty_label=None,
                                    label="Live course step")

    def __init__(self, *args, courses, time_zone: str, **kwargs):
        super().__init__(*args, faculty_queryset=Faculty.objects.none(), time_zone=time_zone,
                         **kwargs)
        del self.fields["faculty"]
        self.fields["course"].queryset = courses

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("course", "title", "starts_at", "ends_at",
                                              "location", "online_url", "capacity")}


class KeepSessionForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(), empty_label=None, label="Session",
        help_text="A session still to come of one of the pathway's live courses: from now on "
                  "only the cohort's members see it.")

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.course.title}: {session.display_title}, "
            f"{timezone.localtime(session.starts_at):%a %d %b %Y %H:%M}")
