"""Reads of an online activity's content packages."""
from courses.models import Course

from .models import ContentPackage


def package_current_for(*, course: Course) -> ContentPackage | None:
    """The version learners launch: the newest published one."""
    return (course.packages.filter(published_at__isnull=False).order_by("-version").first())


def packages_of(*, course: Course) -> list[ContentPackage]:
    return list(ContentPackage.objects.filter(course=course).select_related("uploaded_by")
                .order_by("-version"))
