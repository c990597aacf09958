"""A new enrolment in a course with a Zoom meeting still to come gets a registrant (its
personal join link) without waiting for the beat tick."""
from django.db import transaction
from django.utils import timezone


def enrolment_saved(sender, *, instance, raw: bool = False, **kwargs) -> None:
    from courses.models import Enrolment
    from credits.virtual import services, zoom
    from credits.virtual.models import Provider, VirtualMeeting

    if raw or instance.status != Enrolment.Status.ENROLLED or not zoom.is_configured():
        return

    def ensure() -> None:
        for meeting in VirtualMeeting.objects.filter(
                provider=Provider.ZOOM, session__course_id=instance.course_id,
                session__ends_at__gt=timezone.now()).select_related("session"):
            services.meeting_registrants_ensure(meeting=meeting)

    transaction.on_commit(ensure)
