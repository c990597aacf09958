"""An online activity's lessons, files, video and post-test: enrolled learners (and, for
lessons, the course's directors and the CME office); an attempt only for its owner."""
from tests.authz_rows import Row, owner_only

ENROLLED_AND_OFFICE = {"anonymous": "login", "clinician": 200, "other_clinician": 404,
                       "educator": 404, "administrator": 200}


def objects(world):
    from django.core.files.base import ContentFile

    from credits.online.services import module_start, post_test_attempt_start
    from tests.credits.online.helpers import enrol, make_module

    course = make_module(title="Authorization matrix module")
    enrol(world["clinician"], course)
    module_start(user=world["clinician"], course=course)
    lesson = course.lessons.first()
    lesson.video.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    lesson.video_content_type = "video/mp4"
    lesson.save()
    attempt = post_test_attempt_start(user=world["clinician"], course=course)
    return {"online_course": course, "online_lesson": lesson,
            "online_attachment": lesson.attachments.first(), "online_attempt": attempt}


def _slug(world):
    return {"slug": world["online_course"].slug}


ROWS: dict[str, Row] = {
    "courses/<slug:slug>/start/": Row(
        {"anonymous": "login", "clinician": "redirect", "other_clinician": "redirect",
         "educator": "redirect", "administrator": "redirect"}, method="post", kwargs=_slug),
    "courses/<slug:slug>/learn/": Row(
        {**ENROLLED_AND_OFFICE, "clinician": "redirect", "administrator": "redirect"},
        kwargs=_slug),
    "courses/<slug:slug>/learn/<int:lesson_id>/": Row(
        ENROLLED_AND_OFFICE,
        kwargs=lambda world: {**_slug(world), "lesson_id": world["online_lesson"].pk}),
    "courses/<slug:slug>/learn/<int:lesson_id>/video/": Row(
        ENROLLED_AND_OFFICE,
        kwargs=lambda world: {**_slug(world), "lesson_id": world["online_lesson"].pk}),
    "courses/<slug:slug>/learn/files/<int:attachment_id>/": Row(
        ENROLLED_AND_OFFICE,
        kwargs=lambda world: {**_slug(world), "attachment_id": world["online_attachment"].pk}),
    "courses/<slug:slug>/post-test/": Row(ENROLLED_AND_OFFICE, kwargs=_slug),
    "courses/<slug:slug>/post-test/attempts/<int:attempt_id>/": Row(
        owner_only(200),
        kwargs=lambda world: {**_slug(world), "attempt_id": world["online_attempt"].pk}),
}
