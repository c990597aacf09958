"""Assigned learning: the learners of one assignment with their due date and status (the
dashboard's and the assignment page's drill-down)."""
from django import forms
from django.utils import timezone

from accounts.choices import profession_choices
from credits.assignments.models import Assignment
from credits.assignments.selectors import STATUSES, assignment_members_with_status
from credits.reports.exporters.base import Exporter

HEADER = ("Learner name", "Email", "Profession", "Specialty", "Assigned on", "Due on", "Status",
          "Completed on")


class AssignmentLearnersForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.exclude(status=Assignment.Status.DRAFT).only("pk", "title"),
        label="Assignment")
    status = forms.ChoiceField(choices=[("", "Everyone"), *STATUSES.items()], required=False,
                               label="Status")


class AssignmentLearnersExporter(Exporter):
    identifier = "assignment_learners"
    title = "Assignment learners"
    description = ("The learners of one assignment with their due date and whether they are "
                   "done, in progress or overdue.")
    form_class = AssignmentLearnersForm
    filename_stem = "assignment"

    def filename(self, fmt: str, filters: dict) -> str:
        assignment = filters["assignment"]
        status = filters.get("status") or "all"
        return f"{self.filename_stem}-{getattr(assignment, 'pk', assignment)}-{status}.{fmt}"

    def _members(self, filters: dict):
        return assignment_members_with_status(assignment=filters["assignment"],
                                              status=filters.get("status") or None)

    def estimate_rows(self, filters: dict) -> int:
        return self._members(filters).count()

    def rows(self, filters: dict):
        """One query whatever the number of learners."""
        today = timezone.localdate()
        professions = dict(profession_choices())
        yield HEADER
        for member in self._members(filters).iterator(chunk_size=2000):
            user = member.user
            yield (user.full_name, user.email, professions.get(user.profession, user.profession),
                   user.specialty, member.assigned_on.isoformat(), member.due_on.isoformat(),
                   STATUSES[member.status_on(today)],
                   member.completed_on.isoformat() if member.completed_on else "")
