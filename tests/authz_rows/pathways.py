"""Pathways: the learner's pages (public list and page; joining and recording signed in) and
authoring under /educator/pathways/ (educators for their own pathways, the CME office for all)."""
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from credits.pathways.applications import cohort_create, pathway_apply
from credits.pathways.credential import pathway_credential_sign
from credits.pathways.models import Pathway, PathwayCertificate, PathwayEnrolment, Step
from credits.pathways.services import (
    pathway_create,
    pathway_version_publish,
    step_add,
    step_group_add,
)
from tests.authz_rows import Row, everyone, owner_only, signed_in

MANAGERS = {"anonymous": "login", "clinician": 403, "other_clinician": 403, "educator": 200,
            "administrator": 200}
MANAGERS_POST = {**MANAGERS, "educator": "redirect", "administrator": "redirect"}


def _published(world, title: str, entry: str) -> Pathway:
    pathway = pathway_create(created_by=world["educator"], title=title, entry=entry,
                             summary="For nurses in their first year on a unit.")
    version = pathway.versions.get()
    group = step_group_add(version=version, title="Core")
    step_add(group=group, kind=Step.Kind.EXTERNAL, title="Skills day: IV pumps and lines")
    pathway_version_publish(version=version)
    pathway.refresh_from_db()
    return pathway


def objects(world):
    open_pathway = _published(world, "Sepsis champion track", Pathway.Entry.OPEN)
    assigned = _published(world, "New graduate nurse residency", Pathway.Entry.ASSIGNED)
    enrolment = PathwayEnrolment.objects.create(  # the residency is assigned to her alone
pathway=assigned, version=assigned.current_version,
                                    user=world["clinician"], source="assigned",
                                    started_on=assigned.current_version.published_at.date())
    draft = pathway_create(created_by=world["educator"], title="Charge nurse leadership",
                           summary="Leading a shift.", entry=Pathway.Entry.OPEN)
    draft_group = step_group_add(version=draft.versions.get(), title="Core")
    draft_step = step_add(group=draft_group, kind=Step.Kind.EXTERNAL, title="Shadow a shift")
    certificate = PathwayCertificate(
        enrolment=enrolment, learner_name="Priya Raman, MD", pathway_title=assigned.title,
        version_number=1, criteria="Complete every step of “Core”.", steps=[],
        started_on=enrolment.started_on, completion_date=enrolment.started_on,
        issue_date=enrolment.started_on, status=PathwayCertificate.Status.READY)
    certificate.credential = pathway_credential_sign(certificate, timezone.now())
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    certificate.save()
    leadership = _published(world, "Emerging leaders programme", Pathway.Entry.APPLICATION)
    cohort = cohort_create(pathway=leadership, name="Spring 2027", places=3,
                           starts_on=datetime.date(2027, 3, 1),
                           applications_close_on=datetime.date(2099, 1, 31))
    application = pathway_apply(cohort=cohort, user=world["clinician"],
                                statement="I lead the night shift on 4 West.")
    return {"leadership_pathway": leadership, "cohort": cohort, "application": application,
            "pathway_certificate": certificate, "open_pathway": open_pathway,
            "assigned_pathway": assigned,
            "assigned_external_step": assigned.current_version.steps.get(),
            "draft_pathway": draft, "draft_step": draft_step}


ROWS: dict[str, Row] = {
    "pathways/": Row(everyone(200)),
    "pathways/<slug:slug>/": Row(everyone(200),
                                 kwargs=lambda w: {"slug": w["open_pathway"].slug}),
    "pathways/<slug:slug>/join/": Row(signed_in("redirect"), method="post",
                                      kwargs=lambda w: {"slug": w["open_pathway"].slug}),
    "pathways/<slug:slug>/steps/<int:step_id>/record/": Row(
        owner_only("redirect"), method="post",
        kwargs=lambda w: {"slug": w["assigned_pathway"].slug,
                          "step_id": w["assigned_external_step"].pk}),
    "pathways/certificates/<int:pk>/download/": Row(
        owner_only(200), kwargs=lambda w: {"pk": w["pathway_certificate"].pk}),
    "pathways/certificates/<int:pk>/open-badge.jwt": Row(
        owner_only(200), kwargs=lambda w: {"pk": w["pathway_certificate"].pk}),
    "pathways/verify/<str:code>/": Row(
        everyone(200), kwargs=lambda w: {"code": w["pathway_certificate"].verification_code}),
    "credentials/pathways/<uuid:uuid>/": Row(
        everyone(200), kwargs=lambda w: {"uuid": w["pathway_certificate"].credential_uuid}),
    # Applications: the applicant's own, and the office's (the pathway's managers) only.
    "pathways/<slug:slug>/cohorts/<int:cohort_id>/apply/": Row(
        signed_in("redirect"), method="post",
        kwargs=lambda w: {"slug": w["leadership_pathway"].slug, "cohort_id": w["cohort"].pk}),
    "pathways/applications/<int:pk>/withdraw/": Row(
        owner_only("redirect"), method="post", kwargs=lambda w: {"pk": w["application"].pk}),
    "educator/pathways/<int:pk>/applications/": Row(
        MANAGERS, kwargs=lambda w: {"pk": w["leadership_pathway"].pk}),
    "educator/pathways/<int:pk>/cohorts/add/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["leadership_pathway"].pk}),
    "educator/pathways/<int:pk>/applications/<int:application_id>/decide/": Row(
        MANAGERS_POST, method="post",
        kwargs=lambda w: {"pk": w["leadership_pathway"].pk,
                          "application_id": w["application"].pk}),
    # A cohort's own sessions: the pathway's managers only (the educator who made it, the CME
    # office); a cohort of a pathway they do not manage is 404 (test_cohort_sessions).
    "educator/pathways/<int:pk>/cohorts/<int:cohort_id>/sessions/": Row(
        MANAGERS, kwargs=lambda w: {"pk": w["leadership_pathway"].pk,
                                    "cohort_id": w["cohort"].pk}),
    "educator/pathways/<int:pk>/cohorts/<int:cohort_id>/sessions/add/": Row(
        MANAGERS_POST, method="post",
        kwargs=lambda w: {"pk": w["leadership_pathway"].pk, "cohort_id": w["cohort"].pk}),
    "educator/pathways/<int:pk>/cohorts/<int:cohort_id>/sessions/mark/": Row(
        MANAGERS_POST, method="post",
        kwargs=lambda w: {"pk": w["leadership_pathway"].pk, "cohort_id": w["cohort"].pk}),
    "learner-record/clr.jwt": Row(signed_in(200)),  # always the signed-in person's own
    "educator/pathways/": Row(MANAGERS),
    "educator/pathways/new/": Row(MANAGERS),
    "educator/pathways/<int:pk>/": Row(MANAGERS, kwargs=lambda w: {"pk": w["draft_pathway"].pk}),
    "educator/pathways/<int:pk>/groups/add/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["draft_pathway"].pk}),
    "educator/pathways/<int:pk>/steps/add/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["draft_pathway"].pk}),
    "educator/pathways/<int:pk>/steps/<int:step_id>/remove/": Row(
        MANAGERS_POST, method="post",
        kwargs=lambda w: {"pk": w["draft_pathway"].pk, "step_id": w["draft_step"].pk}),
    "educator/pathways/<int:pk>/publish/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["draft_pathway"].pk}),
    "educator/pathways/<int:pk>/versions/new/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["open_pathway"].pk}),
    "educator/pathways/<int:pk>/assign/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["assigned_pathway"].pk}),
    # The cohort dashboard, its export and the nudge: the pathway's managers only (the
    # educator who made it, the CME office); learners and other clinicians are refused.
    "educator/pathways/<int:pk>/progress/": Row(
        MANAGERS, kwargs=lambda w: {"pk": w["assigned_pathway"].pk}),
    "educator/pathways/<int:pk>/progress.<str:fmt>": Row(
        MANAGERS, kwargs=lambda w: {"pk": w["assigned_pathway"].pk, "fmt": "csv"}),
    "educator/pathways/<int:pk>/progress/nudge/": Row(
        MANAGERS_POST, method="post", kwargs=lambda w: {"pk": w["assigned_pathway"].pk}),
}
