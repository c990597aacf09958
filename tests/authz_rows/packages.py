"""SCORM package pages: the course's directors only (404 for other educators)."""
from tests.authz_rows import Row
from tests.authz_rows.educator import DIRECTORS_ONLY, DIRECTORS_POST


def objects(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.models import Course
    from courses.packages.services import package_upload
    from tests.courses.packages.builders import scorm12_zip
    from tests.credits.online.helpers import make_module

    course = make_module(title="Package matrix module", status=Course.Status.DRAFT,
                         lessons=0, questions=0, directors=[world["educator"]])
    package = package_upload(course=course, editor=world["educator"],
                             upload=SimpleUploadedFile("package.zip", scorm12_zip()))
    return {"package_course": course, "package": package}


def _version(world):
    return {"pk": world["package_course"].pk, "version": world["package"].version}


PACKAGES = "educator/courses/<int:pk>/packages/"

ROWS: dict[str, Row] = {
    PACKAGES: Row(DIRECTORS_ONLY, kwargs=lambda world: {"pk": world["package_course"].pk}),
    PACKAGES + "<int:version>/": Row(DIRECTORS_ONLY, kwargs=_version),
    PACKAGES + "<int:version>/progress/": Row(DIRECTORS_ONLY, kwargs=_version),
    PACKAGES + "<int:version>/publish/": Row(DIRECTORS_POST, method="post", kwargs=_version),
}
