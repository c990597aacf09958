"""A pathway's learners (one cohort, or all) with their standing, in the reports' exporter
shape (CSV or XLSX): what the office's cohort dashboard shows, one row per learner."""
from django import forms

from credits.pathways.models import Pathway
from credits.pathways.office import cohort_dashboard
from credits.reports.exporters.base import Exporter


class CohortProgressForm(forms.Form):
    pathway = forms.ModelChoiceField(queryset=Pathway.objects.all(), label="Pathway")
    cohort = forms.CharField(required=False, label="Cohort",
                             help_text="A cohort's id, “none” for learners without one, or "
                                       "empty for everyone.")


class CohortProgressExporter(Exporter):
    identifier = "pathway_cohort_progress"
    title = "Pathway progress"
    description = ("A pathway's learners, of one cohort or all: on track, behind or done, steps "
                   "done of those needed, the next step, the first overdue step and its due "
                   "date, and the completion date.")
    form_class = CohortProgressForm
    filename_stem = "pathway-progress"

    def filename(self, fmt: str, filters: dict) -> str:
        pathway = filters["pathway"]
        cohort = filters.get("cohort") or "all"
        return f"{self.filename_stem}-{pathway.slug}-cohort-{cohort}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return filters["pathway"].enrolments.count()

    def rows(self, filters: dict):
        dashboard = cohort_dashboard(pathway=filters["pathway"],
                                     cohort_value=filters.get("cohort") or None)
        yield ("Learner name", "Email", "Cohort", "Version", "Started on", "Standing",
               "Steps done", "Steps needed", "Next step", "First overdue step", "Due on",
               "Nudged on", "Completed on")
        for row in dashboard.rows:
            enrolment, progress = row.enrolment, row.progress
            next_step, overdue = progress.next_step, row.first_overdue
            yield (enrolment.user.full_name, enrolment.user.email,
                   enrolment.cohort.name if enrolment.cohort else "",
                   enrolment.version.number, enrolment.started_on.isoformat(),
                   row.standing_label, progress.steps_done, progress.steps_needed,
                   next_step.step.display_title if next_step else "",
                   overdue.step.display_title if overdue else "",
                   overdue.due_on.isoformat() if overdue else "",
                   row.nudged_on.isoformat() if row.nudged_on else "",
                   enrolment.completed_on.isoformat() if enrolment.completed_on else "")
