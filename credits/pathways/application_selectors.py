"""Reads for application entry: the cohorts open for applications, a learner's own
applications, and the office's list of each cohort's applications (the writes are in
credits.pathways.applications)."""
import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from credits.pathways.models import Cohort, Pathway, PathwayApplication


def cohorts_open_for_applications(*, pathway: Pathway, today: datetime.date | None = None
                                  ) -> list[Cohort]:
    today = today or timezone.localdate()
    return list(pathway.cohorts.filter(applications_close_on__gte=today).order_by("starts_on"))


def applications_of(*, user: User, pathway: Pathway) -> list[PathwayApplication]:
    """The learner's own applications for the pathway's cohorts (only theirs)."""
    if not user.is_authenticated:
        return []
    return list(PathwayApplication.objects.filter(user=user, cohort__pathway=pathway)
                .select_related("cohort").order_by("-submitted_at"))


def application_get_for_applicant(*, user: User, pk: int) -> PathwayApplication:
    try:
        return PathwayApplication.objects.select_related("cohort__pathway").get(pk=pk, user=user)
    except PathwayApplication.DoesNotExist:
        raise Http404("No such application.") from None


def cohorts_with_applications(*, pathway: Pathway) -> list[Cohort]:
    """The office's view: each cohort with its applications, accepted and waitlisted counted."""
    cohorts = list(pathway.cohorts.prefetch_related(Prefetch(
        "applications", PathwayApplication.objects.select_related("user").order_by(
            "submitted_at", "pk"))).order_by("starts_on"))
    for cohort in cohorts:
        applications = list(cohort.applications.all())
        cohort.accepted = sum(a.status == PathwayApplication.Status.ACCEPTED
                              for a in applications)
        cohort.waitlisted = sorted((a for a in applications
                                    if a.status == PathwayApplication.Status.WAITLISTED),
                                   key=lambda a: (a.waitlisted_at, a.pk))
    return cohorts
