"""Writes of an online activity's content packages (SCORM or cmi5): upload (checked whole
before anything is stored), extraction by a worker with progress, and publishing a version."""
import hashlib
import posixpath
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from courses.services.publishing import course_editor_require

from . import tasks
from .archive import PackageArchiveError, archive_check
from .cmi5 import course_structure_parse
from .manifest import Manifest, ManifestError, manifest_parse
from .models import ContentPackage, package_storage

# Progress is written every this many files, so a 3,000-file package costs 30 updates.
PROGRESS_EVERY = 100


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _manifest_parse(upload: UploadedFile, file_names: set[str]) -> Manifest:
    """The package's imsmanifest.xml (SCORM) or cmi5.xml (cmi5), read from the top of the zip."""
    for name, parse in (("imsmanifest.xml", manifest_parse),
                        ("cmi5.xml", course_structure_parse)):
        if name in file_names:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                return parse(archive.read(name), file_names=file_names)
    nested = sorted(name for name in file_names
                    if name.endswith(("/imsmanifest.xml", "/cmi5.xml")))
    if nested:
        raise ValidationError(
            f"{posixpath.basename(nested[0])} is inside the folder "
            f"“{posixpath.dirname(nested[0])}”; zip the package's contents so it sits at the "
            "top of the zip.")
    raise ValidationError("The zip has neither imsmanifest.xml nor cmi5.xml at its top, so it "
                          "is not a SCORM or cmi5 package. Export the course as SCORM 1.2, "
                          "SCORM 2004 or cmi5.")


@transaction.atomic
def package_upload(*, course: Course, editor: User, upload: UploadedFile,
                   estimated_minutes: int = 20) -> ContentPackage:
    """Check the zip and its manifest whole, keep the original, queue its extraction.

    Nothing is stored when a check fails; the ValidationError names the problem."""
    course_editor_require(course=course, editor=editor)
    if course.format != Course.Format.ENDURING:
        raise ValidationError("Packages belong to online (enduring material) activities; change "
                              "the format first.")
    if estimated_minutes < 1:
        raise ValidationError({"estimated_minutes": "Estimate at least 1 minute."})
    try:
        summary = archive_check(upload, size=upload.size)
        manifest = _manifest_parse(upload, summary.file_names)
    except (PackageArchiveError, ManifestError) as error:
        raise ValidationError(str(error)) from None
    Course.objects.select_for_update().filter(pk=course.pk).first()  # numbers versions in turn
    top = course.packages.aggregate(top=Max("version"))["top"] or 0
    package = ContentPackage(
        course=course, version=top + 1, standard=manifest.standard,
        schema_version=manifest.schema_version, title=manifest.title[:300],
        manifest=manifest.as_json(), original_sha256=_sha256(upload),
        original_bytes=upload.size, file_count=summary.file_count,
        uncompressed_bytes=summary.uncompressed_bytes, uploaded_by=editor,
        estimated_minutes=estimated_minutes)
    upload.seek(0)
    package.original.save("original.zip", upload, save=False)
    try:
        with transaction.atomic():
            package.save()
    except Exception:
        package_storage().delete(package.original.name)  # no zip without its row
        raise
    tasks.package_extract.delay_on_commit(package.pk)
    return package


def _storage_write(name: str, data: bytes) -> None:
    storage = package_storage()
    if storage.exists(name):  # a redelivered task writes the same bytes again, same name
        storage.delete(name)
    storage.save(name, ContentFile(data))


def package_extract_now(*, package_id: int) -> str:
    """Write the package's files to storage under its content prefix; a second delivery of a
    package no longer extracting is a no-op. Progress is committed as it goes."""
    package = ContentPackage.objects.filter(pk=package_id).first()
    if package is None or package.status != ContentPackage.Status.EXTRACTING:
        return "skipped"
    written = 0
    with package.original.open("rb") as original, zipfile.ZipFile(original) as archive:
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            # The names were checked on upload (courses.packages.archive); normpath again so
            # the stored name is the one the manifest and the player use.
            name = posixpath.normpath(entry.filename)
            _storage_write(package.content_prefix + name, archive.read(entry))
            written += 1
            if written % PROGRESS_EVERY == 0:
                ContentPackage.objects.filter(pk=package.pk).update(files_extracted=written)
    ContentPackage.objects.filter(pk=package.pk, status=ContentPackage.Status.EXTRACTING).update(
        files_extracted=F("file_count"), status=ContentPackage.Status.READY, error="")
    return "extracted"


def package_extract_failed(*, package_id: int, error: str, final: bool) -> None:
    """Record the failure; the last retry marks the version failed for the director to see."""
    update = {"error": error[:2000]}
    if final:
        update["status"] = ContentPackage.Status.FAILED
    ContentPackage.objects.filter(pk=package_id,
                                  status=ContentPackage.Status.EXTRACTING).update(**update)


@transaction.atomic
def package_publish(*, package: ContentPackage, editor: User,
                    now=None) -> ContentPackage:
    """Make this version the one learners launch; learners' records of older ones are kept."""
    course_editor_require(course=package.course, editor=editor)
    package = ContentPackage.objects.select_for_update().get(pk=package.pk)
    if package.status != ContentPackage.Status.READY:
        raise ValidationError("This version is not ready yet: wait for its files to be "
                              "extracted, or upload it again if extraction failed.")
    if package.published_at is None:
        package.published_at = now or timezone.now()
        package.save(update_fields=["published_at"])
    return package
