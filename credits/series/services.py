"""Every write of the series package: the coordination settings, a session's plan, the
missing-items reminders, late-claim requests and their decisions, and copying a series forward
to the next year."""
import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import outgoing_message_queue
from courses.models import Course, CreditDesignation, Disclosure, Session
from courses.services.publishing import COURSE_FIELDS, course_create
from courses.session_dates import course_session_dates_refresh
from credits.attendance.models import Attendance
from credits.attendance.services import attendance_override
from credits.series import selectors
from credits.series.models import LateClaimRequest, SeriesCoordination, SeriesCopy, SessionPlan

SLIDES_MAX_BYTES = 50 * 1024 * 1024
# Weekly sessions land on the same weekday a year on: 52 weeks, not the same date.
COPY_FORWARD_SHIFT = datetime.timedelta(weeks=52)


def series_coordination_save(*, course: Course, actor: User, coordinator: User | None,
                             lead_business_days: int, late_claims_per_year: int
                             ) -> SeriesCoordination:
    coordination, _created = SeriesCoordination.objects.update_or_create(
        course=course, defaults={"coordinator": coordinator,
                                 "lead_business_days": lead_business_days,
                                 "late_claims_per_year": late_claims_per_year,
                                 "updated_by": actor})
    return coordination


def session_plan_save(*, session: Session, actor: User, objectives: str,
                      slides: UploadedFile | None = None) -> SessionPlan:
    """The session's objectives and, when given, new slides (replacing the earlier file)."""
    if slides is not None and slides.size > SLIDES_MAX_BYTES:
        raise ValidationError({"slides": "The slides are over 50 MB; save them as PDF or "
                                         "compress the images, then upload again."})
    with transaction.atomic():
        plan = (SessionPlan.objects.select_for_update().filter(session=session).first()
                or SessionPlan(session=session))
        plan.objectives = objectives.strip()
        plan.updated_by = actor
        if slides is not None:
            plan.slides_name = slides.name[:255]
            plan.slides.save(slides.name, slides, save=False)
        plan.save()
    return plan


def series_missing_items_remind(*, now: datetime.datetime) -> int:
    """Tell each series' coordinator (its directors when none is named), once per session, about
    an upcoming session that still lacks something once its due day has come."""
    today = timezone.localdate(now)
    series = (Course.objects.filter(format=Course.Format.RSS,
                                    status__in=[Course.Status.DRAFT, Course.Status.IN_REVIEW,
                                                Course.Status.PUBLISHED],
                                    sessions__is_cancelled=False, sessions__starts_at__gt=now)
              .distinct().select_related("coordination__coordinator")
              .prefetch_related("directors"))
    queued = 0
    for course in series:
        recipients = selectors.reminder_recipients(course)
        path = reverse("series:coordinator", args=[course.pk])
        for row in selectors.upcoming_sessions(course=course, now=now):
            if not row.missing or row.due_on > today:
                continue
            for recipient in recipients:
                message = outgoing_message_queue(
                    recipient=recipient, kind="series_missing_items",
                    object_key=f"session:{row.session.pk}", occurrence="missing-items",
                    context={"series_title": course.title,
                             "session_title": row.session.display_title,
                             "starts_at": row.session.starts_at, "missing": row.missing,
                             "due_on": row.due_on, "coordinator_path": path})
                queued += message is not None
    return queued


def late_claim_request_file(*, session: Session, user: User, reason: str,
                            now: datetime.datetime | None = None) -> LateClaimRequest:
    """A learner enrolled in the series asks to be recorded present at a session whose check-in
    they missed; the coordinator decides."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you could not check in (for example: the "
                                           "code was not shown, or you were called away).")})
    if session.ends_at > now:
        raise ValidationError(_("You can ask once the session has ended."))
    closes = session.ends_at + datetime.timedelta(days=session.course.claim_window_days)
    if now > closes:
        raise ValidationError(_("The claim window of this session has closed."))
    if Attendance.objects.filter(session=session, user=user,
                                 status=Attendance.Status.PRESENT).exists():
        raise ValidationError(_("Your attendance at this session is already recorded; there is "
                                "nothing to ask."))
    try:
        with transaction.atomic():
            return LateClaimRequest.objects.create(session=session, user=user, reason=reason)
    except IntegrityError as error:
        raise ValidationError(_("You have already asked about this session; the coordinator "
                                "will answer.")) from error


def _lock_open(request: LateClaimRequest) -> LateClaimRequest:
    locked = LateClaimRequest.objects.select_for_update().select_related(
        "session__course", "user").get(pk=request.pk)
    if locked.status != LateClaimRequest.Status.OPEN:
        raise ValidationError(f"This request was already {locked.get_status_display().lower()}.")
    return locked


def late_claim_approve(*, request: LateClaimRequest, actor: User) -> LateClaimRequest:
    """Record the learner present for the whole session (as the director's row, audited with
    the learner's reason), within the series' yearly allowance."""
    with transaction.atomic():
        request = _lock_open(request)
        course = request.session.course
        limit = selectors.coordination_of(course).late_claims_per_year
        year = timezone.localdate(request.session.starts_at).year
        approved = selectors.late_claims_approved_in_year(course=course, user=request.user,
                                                          year=year)
        if approved >= limit:
            raise ValidationError(
                f"{request.user.full_name} already has {approved} late claims approved in "
                f"{year} for this series, the limit set for it. Refuse this one, or raise the "
                "limit in the series settings.")
        attendance_override(session=request.session, user=request.user, present=True,
                            minutes_attended=None, actor=actor,
                            reason=f"Late claim approved (request {request.pk}). The learner "
                                   f"wrote: {request.reason}")
        request.status = LateClaimRequest.Status.APPROVED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


def late_claim_refuse(*, request: LateClaimRequest, actor: User, reason: str
                      ) -> LateClaimRequest:
    """Refuse with a reason; the learner is emailed it once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the learner a reason; it is sent to them.")
    with transaction.atomic():
        request = _lock_open(request)
        request.status = LateClaimRequest.Status.REFUSED
        request.refusal_reason = reason
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        outgoing_message_queue(
            recipient=request.user, kind="late_claim_refused",
            object_key=f"late-claim:{request.pk}", occurrence="refused",
            context={"session_title": request.session.display_title,
                     "starts_at": request.session.starts_at, "reason": reason,
                     "course_path": request.session.course.get_absolute_url()})
    return request


def _copy_title(title: str, from_year: int, to_year: int) -> str:
    if str(from_year) in title:
        return title.replace(str(from_year), str(to_year))
    return f"{title} ({to_year})"


def series_copy_forward(*, course: Course, actor: User) -> SeriesCopy:
    """A draft copy of the series for the next year: its sessions 52 weeks on (same weekday),
    their faculty, the designations, the disclosure roster and the coordination. Once per year.

    Faculty on the copy's sessions who lack a current disclosure are asked for one by the
    hourly disclosure scan, as for any new activity. An ACPE universal activity number names
    one activity, so the copy's ACPE designation waits for a new one before publishing.
    """
    sessions = list(course.sessions.filter(is_cancelled=False).prefetch_related("faculty")
                    .order_by("starts_at"))
    if not sessions:
        raise ValidationError("This series has no sessions to copy.")
    from_year = timezone.localdate(sessions[0].starts_at).year
    year = from_year + 1
    directors = list(course.directors.order_by("pk"))
    if not directors:
        raise ValidationError("Name a course director before copying the series.")
    try:
        with transaction.atomic():
            if SeriesCopy.objects.filter(source=course, year=year).exists():
                raise ValidationError(f"This series was already copied to {year}.")
            fields = {name: getattr(course, name) for name in COURSE_FIELDS}
            fields["title"] = _copy_title(course.title, from_year, year)
            copy = course_create(director=directors[0], co_directors=directors[1:],
                                 specialties=course.specialties.all(),
                                 topics=course.topics.all(), **fields)
            CreditDesignation.objects.bulk_create(
                CreditDesignation(course=copy, credit_type=d.credit_type,
                                  max_credits=d.max_credits)
                for d in course.credit_designations.all())
            for entry in course.disclosures.all():
                Disclosure.objects.get_or_create(course=copy, faculty_id=entry.faculty_id,
                                                 role=entry.role)
            new_sessions = Session.objects.bulk_create(
                Session(course=copy, title=s.title, starts_at=s.starts_at + COPY_FORWARD_SHIFT,
                        ends_at=s.ends_at + COPY_FORWARD_SHIFT, location=s.location,
                        capacity=s.capacity, checkin_code_rotates=s.checkin_code_rotates)
                for s in sessions)
            Through = Session.faculty.through
            Through.objects.bulk_create(
                Through(session_id=new.pk, faculty_id=person.pk)
                for old, new in zip(sessions, new_sessions, strict=True)
                for person in old.faculty.all())
            course_session_dates_refresh(course_ids=[copy.pk])
            coordination = selectors.coordination_of(course)
            SeriesCoordination.objects.create(
                course=copy, coordinator=coordination.coordinator, updated_by=actor,
                lead_business_days=coordination.lead_business_days,
                late_claims_per_year=coordination.late_claims_per_year)
            return SeriesCopy.objects.create(source=course, year=year, copy=copy,
                                             copied_by=actor)
    except IntegrityError as error:
        raise ValidationError(f"This series was already copied to {year}.") from error
