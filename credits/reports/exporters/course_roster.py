"""Course roster: each learner of one activity with enrolment, attendance and claimed credit."""
from django import forms
from django.utils import timezone

from accounts.models import User
from courses.credit_types import credit_amount_display
from courses.models import Course, Enrolment
from credits.attendance.models import Attendance
from credits.ledger.models import CreditRecord
from credits.reports.exporters.base import Exporter

HEADER = ("Learner name", "Email", "Profession", "Degree", "Enrolment", "Enrolled on",
          "Sessions attended", "Credit claimed", "Claimed on")


class CourseRosterForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.only("pk", "title"), label="Activity")


def _local_date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


class CourseRosterExporter(Exporter):
    identifier = "course_roster"
    title = "Course roster"
    description = ("Everyone enrolled in, attending or claiming credit for one activity, with "
                   "their enrolment status, sessions attended and credit claimed.")
    form_class = CourseRosterForm
    filename_stem = "roster"

    def filename(self, fmt: str, filters: dict) -> str:
        course = filters["course"]
        return f"{self.filename_stem}-{getattr(course, 'slug', course)}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return Enrolment.objects.filter(course=filters["course"]).count()

    def rows(self, filters: dict):
        """Five queries whatever the size of the course."""
        course = filters["course"]
        yield HEADER
        enrolments: dict[int, Enrolment] = {}
        # Newest enrolment per learner: a cancelled enrolment followed by a new one shows the new.
        for enrolment in Enrolment.objects.filter(course=course).order_by("created_at", "pk"):
            enrolments[enrolment.user_id] = enrolment
        session_count = course.sessions.filter(is_cancelled=False).count()
        attended: dict[int, int] = {}
        for user_id in (Attendance.objects.filter(session__course=course,
                                                  status=Attendance.Status.PRESENT)
                        .values_list("user_id", flat=True)):
            attended[user_id] = attended.get(user_id, 0) + 1
        claims: dict[int, list[CreditRecord]] = {}
        for record in CreditRecord.objects.filter(course=course,
                                                  status=CreditRecord.Status.ACTIVE):
            claims.setdefault(record.user_id, []).append(record)
        learners = User.objects.filter(pk__in=enrolments.keys() | attended.keys()
                                       | claims.keys()).order_by("full_name", "email")
        for learner in learners:
            enrolment = enrolments.get(learner.pk)
            records = claims.get(learner.pk, [])
            yield (
                learner.full_name, learner.email, learner.get_profession_display(),
                learner.degree,
                enrolment.get_status_display() if enrolment else "Walk-in",
                _local_date(enrolment.created_at) if enrolment else "",
                f"{attended.get(learner.pk, 0)} of {session_count}",
                "; ".join(credit_amount_display(r.amount, r.credit_type, localized=False)
                          for r in records),
                _local_date(max(r.claimed_at for r in records)) if records else "",
            )
