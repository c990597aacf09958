"""Writes for application entry: cohorts, applying, the office's decision (accept, waitlist,
decline; each emailed once through the outbox), and withdrawal, whose place goes to the first
waitlisted applicant (once, with its email). Decisions on one cohort take its row lock, so two
offices deciding at once cannot give away more places than it has."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import outgoing_message_queue
from credits.pathways.models import Cohort, Pathway, PathwayApplication, PathwayEnrolment

Status = PathwayApplication.Status


def cohort_create(*, pathway: Pathway, name: str, starts_on: datetime.date,
                  places: int | None = None, applications_close_on: datetime.date | None = None,
                  application_prompt: str = "") -> Cohort:
    if pathway.entry == Pathway.Entry.APPLICATION and not (places and applications_close_on):
        raise ValidationError(_("A cohort of an application pathway needs its number of places "
                                "and the date applications close."))
    return Cohort.objects.create(pathway=pathway, name=name, starts_on=starts_on, places=places,
                                 applications_close_on=applications_close_on,
                                 application_prompt=application_prompt)


def pathway_apply(*, cohort: Cohort, user: User, statement: str,
                  now: datetime.datetime | None = None) -> PathwayApplication:
    """Apply for a place; applying twice keeps the first application."""
    now = now or timezone.now()
    pathway = cohort.pathway
    if pathway.entry != Pathway.Entry.APPLICATION or pathway.status != Pathway.Status.PUBLISHED:
        raise ValidationError(_("This pathway does not take applications."))
    if cohort.applications_close_on and timezone.localdate(now) > cohort.applications_close_on:
        raise ValidationError(_("Applications for %(cohort)s closed on %(date)s.") % {
            "cohort": cohort.name, "date": f"{cohort.applications_close_on:%-d %B %Y}"})
    if not statement.strip():
        raise ValidationError(_("Write a few lines for the education office to read."))
    try:
        with transaction.atomic():
            return PathwayApplication.objects.create(cohort=cohort, user=user,
                                                     statement=statement.strip(),
                                                     submitted_at=now)
    except IntegrityError:
        return PathwayApplication.objects.get(cohort=cohort, user=user)


def _email(application: PathwayApplication, occurrence: str) -> None:
    cohort = application.cohort
    outgoing_message_queue(
        recipient=application.user, kind="pathway_application",
        object_key=f"pathway-application:{application.pk}", occurrence=occurrence,
        context={"decision": occurrence, "pathway_title": cohort.pathway.title,
                 "cohort_name": cohort.name, "starts_on": cohort.starts_on.isoformat(),
                 "pathway_url": settings.SITE_URL + reverse(
                     "pathways:pathway", kwargs={"slug": cohort.pathway.slug})})


def _enrol(application: PathwayApplication) -> None:
    cohort = application.cohort
    pathway = cohort.pathway
    version = pathway.current_version
    finish_by = (cohort.starts_on + datetime.timedelta(days=version.time_limit_days)
                 if version.time_limit_days else None)
    PathwayEnrolment.objects.update_or_create(
        pathway=pathway, user=application.user,
        defaults={"version": version, "cohort": cohort,
                  "source": PathwayEnrolment.Source.APPLICATION,
                  "status": PathwayEnrolment.Status.ACTIVE, "started_on": cohort.starts_on,
                  "finish_by": finish_by, "completed_on": None})


def _locked(application: PathwayApplication) -> PathwayApplication:
    Cohort.objects.select_for_update().get(pk=application.cohort_id)
    return (PathwayApplication.objects.select_for_update(of=("self",))
            .select_related("cohort__pathway__current_version", "user").get(pk=application.pk))


@transaction.atomic
def pathway_application_decide(*, application: PathwayApplication, decision: str,
                               now: datetime.datetime | None = None) -> PathwayApplication:
    """Accept, waitlist or decline; the same decision twice is made (and emailed) once."""
    now = now or timezone.now()
    application = _locked(application)
    if decision not in (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED):
        raise ValidationError(_("Choose accept, waitlist or decline."))
    if application.status == decision:
        return application
    if application.status in (Status.WITHDRAWN, Status.ACCEPTED):
        raise ValidationError(_("This application is %(status)s; it cannot change now.") % {
            "status": application.get_status_display().lower()})
    cohort = application.cohort
    if decision == Status.ACCEPTED:
        accepted = cohort.applications.filter(status=Status.ACCEPTED).count()
        if cohort.places is not None and accepted >= cohort.places:
            raise ValidationError(_("All %(places)s places of %(cohort)s are taken; waitlist "
                                    "the application instead.") % {
                "places": cohort.places, "cohort": cohort.name})
        _enrol(application)
    application.status, application.decided_at = decision, now
    if decision == Status.WAITLISTED:
        application.waitlisted_at = now
    application.save(update_fields=["status", "decided_at", "waitlisted_at"])
    _email(application, decision)
    return application


@transaction.atomic
def pathway_application_withdraw(*, application: PathwayApplication,
                                 now: datetime.datetime | None = None
                                 ) -> PathwayApplication | None:
    """Withdraw (twice is once). A withdrawn accepted place goes to the first waitlisted
    applicant, who is accepted and emailed once; returns that application, if any."""
    now = now or timezone.now()
    application = _locked(application)
    if application.status == Status.WITHDRAWN:
        return None
    held_a_place = application.status == Status.ACCEPTED
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    if not held_a_place:
        return None
    PathwayEnrolment.objects.filter(
        pathway=application.cohort.pathway, user=application.user,
        status=PathwayEnrolment.Status.ACTIVE).update(status=PathwayEnrolment.Status.LEFT)
    first = (application.cohort.applications.select_for_update()
             .filter(status=Status.WAITLISTED).order_by("waitlisted_at", "pk").first())
    if first is None:
        return None
    first = PathwayApplication.objects.select_related(
        "cohort__pathway__current_version", "user").get(pk=first.pk)
    _enrol(first)
    first.status, first.decided_at = Status.ACCEPTED, now
    first.save(update_fields=["status", "decided_at"])
    _email(first, "offered")
    return first
