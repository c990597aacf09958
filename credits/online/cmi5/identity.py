"""How the portal names the learner, the course and each AU to the AU and in statements: the
same for every registration, never the publisher's ids (cmi5 sections 8.1.5, 9.2 and 9.4)."""
import hashlib

from django.conf import settings

from accounts.models import User
from courses.models import Course


def digest(secret: str) -> str:
    """Fetch keys and session tokens are kept as SHA-256 digests only."""
    return hashlib.sha256(secret.encode()).hexdigest()


def learner_actor(user: User) -> dict:
    """The learner as an account on the portal: no e-mail address leaves it (section 9.2)."""
    return {"objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(user.pk)}}


def course_activity_id(course: Course) -> str:
    return f"{settings.SITE_URL}/xapi/activities/course/{course.pk}"


def au_activity_id(course: Course, au: dict) -> str:
    return (f"{course_activity_id(course)}/au/"
            f"{hashlib.sha256(au['identifier'].encode()).hexdigest()[:24]}")
