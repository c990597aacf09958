"""An online activity whose content is a published SCORM package, built from source."""
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.packages.services import package_publish, package_upload
from courses.packages.tasks import package_extract
from tests.courses.packages import builders
from tests.credits.online.helpers import make_module


def make_package_module(*, director, zip_bytes: bytes | None = None, lessons: int = 0,
                        questions: int = 0, **fields):
    course = make_module(lessons=lessons, questions=questions, directors=[director], **fields)
    package = package_upload(course=course, editor=director, upload=SimpleUploadedFile(
        "package.zip", zip_bytes or builders.scorm12_zip()))
    package_extract.apply(args=[package.pk])
    package.refresh_from_db()
    package_publish(package=package, editor=director)
    return course, package


def scorm12_cmi(status="incomplete", raw="", location="", suspend="", exit="",
                session="00:01:00"):
    return {"core": {"lesson_status": status, "lesson_location": location, "exit": exit,
                     "session_time": session, "score": {"raw": raw, "min": "", "max": ""}},
            "suspend_data": suspend}


def scorm2004_cmi(completion="incomplete", success="unknown", scaled="", exit="",
                  session="PT1M"):
    return {"completion_status": completion, "success_status": success, "exit": exit,
            "session_time": session, "score": {"scaled": scaled}, "location": "",
            "suspend_data": ""}
