"""Assigned learning and the dashboard under /reports/ (the CME office only)."""
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from credits.models import Assignment
from tests.authz_rows import Row
from tests.credits.online.helpers import make_module

ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403, "administrator": 200}
ADMINISTRATORS_REDIRECT = {**ADMINISTRATORS_ONLY, "administrator": "redirect"}


def objects(world):
    course = make_module(title="Infection Prevention and Control")
    active = Assignment.objects.create(
        title="Annual infection control", course=course, target=Assignment.Target.ROLE,
        target_value="Clinician", due=Assignment.Due.FIXED,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        created_by=world["administrator"])
    draft = Assignment(title="ICU list", course=course, target=Assignment.Target.EMAIL_LIST,
                       due=Assignment.Due.AFTER, due_days=30, status=Assignment.Status.DRAFT,
                       created_by=world["administrator"])
    draft.email_file.save("icu.csv", ContentFile(b"Email\npriya@hospital.example\n"), save=False)
    draft.save()
    return {"assignment": active, "draft_assignment": draft}


ROWS: dict[str, Row] = {
    "reports/dashboard/": Row(ADMINISTRATORS_ONLY),
    "reports/assignments/": Row(ADMINISTRATORS_ONLY),
    "reports/assignments/new/": Row(ADMINISTRATORS_ONLY),
    "reports/assignments/<int:pk>/": Row(ADMINISTRATORS_ONLY,
                                         kwargs=lambda w: {"pk": w["assignment"].pk}),
    "reports/assignments/<int:pk>/apply/": Row(
        ADMINISTRATORS_REDIRECT, method="post",
        kwargs=lambda w: {"pk": w["draft_assignment"].pk}),
    "reports/assignments/<int:pk>/withdraw/": Row(
        ADMINISTRATORS_REDIRECT, method="post", kwargs=lambda w: {"pk": w["assignment"].pk}),
    "reports/assignments/<int:assignment_id>/learners.<str:fmt>": Row(
        ADMINISTRATORS_ONLY, kwargs=lambda w: {"assignment_id": w["assignment"].pk,
                                               "fmt": "csv"}),
}
