"""The questions and answers an online activity's packages reported, one row per answer:
SCORM interactions (cmi.interactions.*) of each attempt's last commit, and cmi5 statements
carrying a response."""
from django import forms
from django.utils import timezone

from courses.models import Course
from credits.online.cmi5.selectors import statement_interactions_for
from credits.online.scorm.models import ScoAttempt
from credits.online.scorm.selectors import package_interactions_for

from .base import Exporter

HEADER = ("Learner name", "Email", "Package version", "Part", "Attempt", "Question", "Type",
          "Response", "Result", "Reported at")


class PackageInteractionsForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(format=Course.Format.ENDURING).only("pk", "title"),
        label="Activity")


class PackageInteractionsExporter(Exporter):
    identifier = "package_interactions"
    title = "Package questions and answers"
    description = ("The questions of one online activity's SCORM or cmi5 package and each "
                   "learner's answers and results, as the package reported them.")
    form_class = PackageInteractionsForm
    filename_stem = "package-interactions"

    def filename(self, fmt: str, filters: dict) -> str:
        course = filters["course"]
        return f"{self.filename_stem}-{getattr(course, 'slug', course)}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return ScoAttempt.objects.filter(course=filters["course"]).count()

    def rows(self, filters: dict):
        """Three queries whatever the number of learners and answers."""
        yield HEADER
        course = filters["course"]
        for row in (package_interactions_for(course=course)
                    + statement_interactions_for(course=course)):
            yield (row.learner.full_name, row.learner.email, row.version, row.part, row.attempt,
                   row.question, row.kind, row.response, row.result,
                   timezone.localtime(row.reported_at).strftime("%Y-%m-%d %H:%M"))
