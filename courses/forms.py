"""Forms educators and the CME office fill in to publish an activity."""
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.choices import TIME_ZONES, Degree, profession_choices
from courses.credit_types import CreditType, acpe_uan_normalise, acpe_uan_problem
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course, Disclosure, Faculty, Session
from courses.selectors.educator import educators, faculty_directory
from courses.services.publishing import MAX_SERIES_SESSIONS, local_datetime

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
            (5, "Saturday"), (6, "Sunday")]


class FieldsetsMixin:
    """Group fields under legends; a tuple of names is laid out side by side on wide screens."""

    fieldset_layout: list[tuple[str, list]] = []

    @property
    def fieldsets(self):
        groups = []
        for legend, rows in self.fieldset_layout:
            bound_rows = []
            for row in rows:
                names = row if isinstance(row, tuple) else (row,)
                fields = [self[name] for name in names if name in self.fields]
                if fields:
                    bound_rows.append(fields)
            if bound_rows:
                groups.append((legend, bound_rows))
        return groups


CHOICE_LIST = {"class": "choice-list"}


class FacultyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Faculty) -> str:
        return str(obj)


class CourseForm(FieldsetsMixin, forms.ModelForm):
    target_professions = forms.MultipleChoiceField(
        choices=profession_choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
        help_text="Leave all unticked when the activity is for everyone.")
    co_directors = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
        label="Co-directors", help_text="Other educators who may edit this course with you.")

    fieldset_layout = [
        ("The activity", ["title", "summary", "description", "learning_objectives", "format"]),
        ("Audience", ["target_professions", "specialties", "topics"]),
        ("Enrolment and credit", [("capacity", "claim_window_days"), "approval_required",
                                  "evaluation_required", "allows_walk_ins"]),
        ("Enduring material (online)", [("release_date", "termination_date")]),
        ("Accreditation", ["commercial_support", "commercial_supporters", "joint_provider"]),
        ("Directors", ["co_directors"]),
    ]

    class Meta:
        model = Course
        fields = ["title", "summary", "description", "learning_objectives", "format",
                  "specialties", "topics", "target_professions", "capacity",
                  "approval_required", "evaluation_required", "allows_walk_ins",
                  "claim_window_days", "commercial_support", "commercial_supporters",
                  "joint_provider", "release_date", "termination_date"]
        widgets = {
            "specialties": forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
            "topics": forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
            "description": forms.Textarea(attrs={"rows": 5}),
            "learning_objectives": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(attrs={"min": 1}),
            "claim_window_days": forms.NumberInput(attrs={"min": 1, "max": 730}),
            "release_date": forms.DateInput(attrs={"type": "date"}),
            "termination_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"claim_window_days": "Claim window (days)", "capacity": "Seats",
                  "allows_walk_ins": "Allow walk-ins",
                  "commercial_support": "This activity receives commercial support"}

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_directors"].queryset = educators().exclude(pk=editor.pk)
        self.fields["co_directors"].label_from_instance = lambda user: user.display_name
        # Lists with nothing to choose from would only confuse.
        for name in ("co_directors", "specialties"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]
        if self.instance.pk:
            self.initial["co_directors"] = [user.pk for user in self.instance.directors.all()
                                            if user.pk != editor.pk]

    def clean_claim_window_days(self) -> int:
        days = self.cleaned_data["claim_window_days"]
        if not 1 <= days <= 730:
            raise ValidationError("Give a claim window between 1 and 730 days.")
        return days


def _time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(choices=TIME_ZONES, label="Time zone",
                             help_text="The zone of the times above; the clocks of this zone "
                                       "decide daylight saving time.")


FACULTY_HELP = "Add new faculty from the course page first, then tick them here."


class SessionForm(FieldsetsMixin, forms.Form):
    fieldset_layout = [
        ("When", ["date", ("start_time", "end_time"), "time_zone"]),
        ("Where", ["title", "location", "online_url", "capacity"]),
        ("Faculty", ["faculty"]),
    ]

    title = forms.CharField(max_length=200, required=False,
                            help_text="Optional; the course title is used when empty.")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    time_zone = _time_zone_field()
    location = forms.CharField(max_length=200, required=False,
                               help_text="Room and building, for in-person sessions.")
    online_url = forms.URLField(required=False, label="Online link", assume_scheme="https",
                                help_text="The video-meeting link, for online sessions.")
    capacity = forms.IntegerField(min_value=1, required=False,
                                  help_text="Optional; seats in the room if fewer than the "
                                            "course's.")
    faculty = forms.ModelMultipleChoiceField(queryset=Faculty.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
                                             help_text=FACULTY_HELP)

    def __init__(self, *args, faculty_queryset, time_zone: str,
                 session: Session | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        initial.setdefault("time_zone", time_zone)
        if session is not None:
            zone = zoneinfo.ZoneInfo(time_zone)
            starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
            initial.update(title=session.title, date=starts.date(), start_time=starts.time(),
                           end_time=ends.time(), location=session.location,
                           online_url=session.online_url, capacity=session.capacity,
                           faculty=[person.pk for person in session.faculty.all()])
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["faculty"].queryset = faculty_queryset

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["starts_at"] = local_datetime(cleaned["date"], cleaned["start_time"],
                                                  cleaned["time_zone"])
            cleaned["ends_at"] = local_datetime(cleaned["date"], cleaned["end_time"],
                                                cleaned["time_zone"])
        except ValidationError as error:
            raise ValidationError({"start_time": error.messages}) from error
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "starts_at", "ends_at", "location",
                                              "online_url", "capacity", "faculty")}


class SessionSeriesForm(FieldsetsMixin, forms.Form):
    fieldset_layout = [
        ("When", ["weekdays", ("start_time", "end_time"), "time_zone"]),
        ("How often", [("first_date", "interval_weeks"), ("count", "until")]),
        ("Where", ["title", "location", "online_url"]),
        ("Faculty", ["faculty"]),
    ]

    title = forms.CharField(max_length=200, required=False,
                            help_text="Optional; the course title is used when empty.")
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, label="On",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-inline"}),
        error_messages={"required": "Choose at least one day of the week."})
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = _time_zone_field()
    first_date = forms.DateField(label="Starting on",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    interval_weeks = forms.IntegerField(
        min_value=1, max_value=52, initial=1, label="Every how many weeks",
        help_text="1 for every week, 2 for every other week.")
    count = forms.IntegerField(min_value=1, max_value=MAX_SERIES_SESSIONS, required=False,
                               label="Number of sessions",
                               help_text="Give the number of sessions or the last date.")
    until = forms.DateField(required=False, label="Last date",
                            widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(max_length=200, required=False)
    online_url = forms.URLField(required=False, label="Online link", assume_scheme="https")
    faculty = forms.ModelMultipleChoiceField(
        queryset=Faculty.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHOICE_LIST),
        help_text=f"Ticked faculty teach every session of the series. {FACULTY_HELP}")

    def __init__(self, *args, faculty_queryset, time_zone: str, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("time_zone", time_zone)
        super().__init__(*args, **kwargs)
        self.fields["faculty"].queryset = faculty_queryset

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("count") and cleaned.get("until"):
            raise ValidationError("Give either the number of sessions or the last date, not both.")
        if not self.errors and not cleaned.get("count") and not cleaned.get("until"):
            raise ValidationError("Give the number of sessions or the last date.")
        return cleaned


class FacultyAddForm(FieldsetsMixin, forms.Form):
    fieldset_layout = [
        ("Who", ["existing", "full_name", ("degree", "email")]),
        ("Sessions", ["sessions"]),
    ]

    existing = FacultyChoiceField(
        queryset=Faculty.objects.none(), required=False, label="Someone in the faculty list",
        empty_label="Choose…")
    full_name = forms.CharField(max_length=150, required=False, label="Or a new person: full name")
    degree = forms.ChoiceField(choices=[("", "—"), *Degree.choices], required=False)
    email = forms.EmailField(required=False)
    sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHOICE_LIST), label="Teaches on",
        help_text="Leave all unticked for a planner who does not teach.")

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing"].queryset = faculty_directory()
        sessions = (course.sessions.filter(is_cancelled=False).select_related("course")
                    .order_by("starts_at"))
        self.fields["sessions"].queryset = sessions
        self.fields["sessions"].label_from_instance = lambda session: (
            f"{session.display_title}, "
            f"{timezone.localtime(session.starts_at):%a %-d %b %Y, %H:%M %Z}")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing") and cleaned.get("full_name", "").strip():
            raise ValidationError("Choose someone from the list or enter a new name, not both.")
        if not cleaned.get("existing") and not cleaned.get("full_name", "").strip():
            raise ValidationError("Choose someone from the faculty list or enter a new name.")
        return cleaned


class DesignationForm(forms.Form):
    credit_type = forms.ChoiceField(
        choices=lambda: credit_type_catalog().choices(designable_only=True))
    max_credits = forms.DecimalField(
        label="Maximum credit", max_digits=5, decimal_places=2, min_value=0.25,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
        help_text="In steps of 0.25. For a live AMA designation, at most the session hours.")
    acpe_uan = forms.CharField(max_length=30, required=False,
                               label="ACPE universal activity number (UAN)",
                               help_text="Required for ACPE, e.g. 0197-0000-26-014-L01-P.")

    def clean(self):
        cleaned = super().clean()
        uan = acpe_uan_normalise(cleaned.get("acpe_uan", ""))
        cleaned["acpe_uan"] = uan
        if cleaned.get("credit_type") == CreditType.ACPE:
            problem = acpe_uan_problem(uan)
            if problem:
                self.add_error("acpe_uan", problem)
        elif uan:
            self.add_error("acpe_uan", "Only ACPE credit has a universal activity number; "
                                       "clear this field or choose ACPE contact hours.")
        return cleaned


class DisclosureForm(forms.Form):
    """A person's role in control of the activity's content; they disclose themselves."""

    faculty = FacultyChoiceField(queryset=Faculty.objects.none(), label="Person",
                                 empty_label="Choose…")
    role = forms.ChoiceField(choices=Disclosure.Role.choices)

    def __init__(self, *args, faculty_queryset, disclosure: Disclosure | None = None, **kwargs):
        if disclosure is not None:
            kwargs["initial"] = {"faculty": disclosure.faculty_id, "role": disclosure.role}
        super().__init__(*args, **kwargs)
        self.fields["faculty"].queryset = faculty_queryset


class ReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Comment for the course directors",
        help_text="What must change before the course can be published.",
        error_messages={"required": "Say what the directors need to change."})
