"""The pages the service worker keeps on the learner's phone for reading without a network
(docs/offline-and-push.md): My learning, check-in, the lessons and attachments of the online
modules they started and have not completed, and their drills with the questions waiting for
an answer. Videos stay online (too large for a phone's storage quota)."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import User
from courses.lessons.models import Lesson, LessonAttachment
from credits.drills.models import DrillEnrolment
from credits.drills.selectors import drill_page_get
from credits.online.models import ModuleProgress


def offline_page_urls_for(*, user: User) -> list[str]:
    urls = [reverse("learning:my_learning"), reverse("attendance:checkin")]
    started = (ModuleProgress.objects.filter(user=user, completed_at__isnull=True)
               .values_list("course_id", flat=True))
    lessons = list(Lesson.objects.filter(course_id__in=started, status=Lesson.Status.PUBLISHED)
                   .select_related("course").order_by("course_id", "position", "pk"))
    for lesson in lessons:
        urls.append(reverse("online:lesson", args=[lesson.course.slug, lesson.pk]))
    for attachment in (LessonAttachment.objects.filter(lesson__in=lessons)
                       .select_related("lesson__course").order_by("pk")):
        urls.append(reverse("online:attachment",
                            args=[attachment.lesson.course.slug, attachment.pk]))
    for enrolment in (DrillEnrolment.objects.filter(user=user, completed_at__isnull=True)
                      .select_related("course")):
        page = drill_page_get(user=user, course=enrolment.course)
        urls.append(reverse("drills:drill", args=[enrolment.course.slug]))
        urls.extend(reverse("drills:delivery", args=[enrolment.course.slug, delivery.pk])
                    for delivery in page.open_deliveries)
    return urls


@login_required
@require_GET
def offline_pages(request):
    response = JsonResponse({"urls": offline_page_urls_for(user=request.user)})
    response["Cache-Control"] = "private, no-store"
    return response
