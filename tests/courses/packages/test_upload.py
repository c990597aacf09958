"""Uploading SCORM packages: what the manifest says is kept, the original zip is stored, a
worker extracts the files with progress, and every bad zip is refused whole with its reason."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Course
from courses.packages import services
from courses.packages.models import ContentPackage, package_storage
from courses.packages.selectors import package_current_for
from courses.packages.tasks import package_extract
from tests.conftest import queued_work
from tests.courses.packages import builders
from tests.credits.online.helpers import make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(educator):
    return make_module(title="Hand hygiene", lessons=0, questions=0, directors=[educator])


def _upload(data: bytes, name="package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def _stored_names() -> list[str]:
    storage = package_storage()
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder or "."):
            continue
        subfolders, files = storage.listdir(folder or ".")
        found += [f"{folder}{name}" for name in files]
        folders += [f"{folder}{name}/" for name in subfolders]
    return found


def _upload_and_extract(course, educator, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        package = services.package_upload(course=course, editor=educator, upload=_upload(data))
    queued = [c for c in queued_work(callbacks)
              if getattr(c, "func", None) == package_extract.delay]
    assert [c.args for c in queued] == [(package.pk,)]
    assert package_extract.apply(args=[package.pk]).get() == "extracted"
    package.refresh_from_db()
    return package


def test_a_scorm_12_package_is_read_kept_and_extracted(course, educator,
                                                       django_capture_on_commit_callbacks):
    # One zip: two builds a second apart differ in their entries' times.
    data = builders.scorm12_zip()
    package = _upload_and_extract(course, educator, data, django_capture_on_commit_callbacks)
    assert (package.standard, package.schema_version) == ("scorm12", "SCORM 1.2")
    assert package.title == "Hand hygiene: the five moments"
    assert package.scos == [{"identifier": "item-1", "title": "The five moments",
                             "href": "index.html", "mastery_score": "80",
                             "scaled_passing_score": None, "move_on": None,
                             "launch_method": None, "launch_parameters": ""}]
    assert package.status == "ready" and package.files_extracted == package.file_count == 3
    assert package.original.read() == data
    storage = package_storage()
    assert storage.open(package.content_prefix + "sco.js").read().decode() == builders.SCO_12_JS
    # A second delivery of the task finds the version extracted and does nothing.
    assert package_extract.apply(args=[package.pk]).get() == "skipped"


def test_a_scorm_2004_package_lists_its_scos_and_scaled_passing_score(
        course, educator, django_capture_on_commit_callbacks):
    package = _upload_and_extract(course, educator, builders.scorm2004_zip(),
                                  django_capture_on_commit_callbacks)
    assert package.schema_version == "SCORM 2004 4th Edition"
    assert [(sco["title"], sco["href"], sco["scaled_passing_score"]) for sco in package.scos] == [
        ("Insertion bundle", "insertion/index.html", None),
        ("Maintenance and removal", "maintenance/index.html", "0.8")]


@pytest.mark.parametrize(("builder", "message"), [
    (builders.traversal_zip, "points outside the package (path traversal)"),
    (builders.bomb_zip, "looks like a zip bomb"),
    (builders.symlink_zip, "is a symbolic link"),
    (builders.without_manifest_zip, "neither imsmanifest.xml nor cmi5.xml at its top"),
    (builders.nested_manifest_zip, "imsmanifest.xml is inside the folder “export”"),
    (builders.malformed_manifest_zip, "imsmanifest.xml is not well-formed XML"),
    (builders.unknown_version_zip, "declares schema version “2.0 Draft”"),
    (builders.launch_missing_zip, "launches “index.html”, which is not in the zip"),
    (builders.xml_entity_bomb_zip, "not well-formed XML"),
    (lambda: b"%PDF-1.7 not a zip", "not a zip archive"),
])
def test_a_bad_package_is_refused_whole_with_its_reason(course, educator, builder, message):
    with pytest.raises(ValidationError) as refused:
        services.package_upload(course=course, editor=educator, upload=_upload(builder()))
    assert message in refused.value.messages[0]
    assert not ContentPackage.objects.exists()
    assert _stored_names() == []


def test_a_package_over_the_size_limits_is_refused(course, educator, settings):
    settings.PACKAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="the largest package the portal takes"):
        services.package_upload(course=course, editor=educator,
                                upload=_upload(builders.scorm12_zip()))
    settings.PACKAGE_MAX_BYTES = 10**9
    settings.PACKAGE_MAX_UNCOMPRESSED_BYTES = 2000
    with pytest.raises(ValidationError, match="expands to more than"):
        services.package_upload(course=course, editor=educator,
                                upload=_upload(builders.scorm12_zip()))
    settings.PACKAGE_MAX_UNCOMPRESSED_BYTES = 10**9
    settings.PACKAGE_MAX_FILES = 2
    with pytest.raises(ValidationError, match="holds 3 files"):
        services.package_upload(course=course, editor=educator,
                                upload=_upload(builders.scorm12_zip()))
    assert _stored_names() == []


def test_only_a_director_of_an_online_activity_uploads(course):
    from tests.factories import UserFactory

    stranger = UserFactory()
    with pytest.raises(ValidationError, match="Only a director"):
        services.package_upload(course=course, editor=stranger,
                                upload=_upload(builders.scorm12_zip()))


def test_a_new_version_replaces_the_old_once_published(course, educator,
                                                       django_capture_on_commit_callbacks):
    # A zip carries its entries' times: built again a second later it is other bytes.
    first_zip = builders.scorm12_zip()
    first = _upload_and_extract(course, educator, first_zip, django_capture_on_commit_callbacks)
    services.package_publish(package=first, editor=educator)
    assert package_current_for(course=course) == first
    with django_capture_on_commit_callbacks():
        second = services.package_upload(
            course=course, editor=educator,
            upload=_upload(builders.scorm12_zip(title="Hand hygiene (2027 update)")))
    assert second.version == 2
    with pytest.raises(ValidationError, match="not ready yet"):
        services.package_publish(package=second, editor=educator)
    assert package_current_for(course=course) == first
    package_extract.apply(args=[second.pk])
    second.refresh_from_db()
    services.package_publish(package=second, editor=educator)
    assert package_current_for(course=course) == second
    assert first.original.read() == first_zip  # the old version is kept


def test_the_director_uploads_sees_the_manifest_and_publishes(client, course, educator,
                                                              django_capture_on_commit_callbacks):
    client.force_login(educator)
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("packages:list", args=[course.pk]),
                               {"file": _upload(builders.scorm12_zip()),
                                "estimated_minutes": 25})
    assert response.status_code == 302
    package = ContentPackage.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "0 of 3 files extracted" in detail and "Mastery score 80 of 100" in detail
    package_extract.apply(args=[package.pk])
    progress = client.get(reverse("packages:progress", args=[course.pk, 1])).content.decode()
    assert "Publish version 1" in progress and "hx-trigger" not in progress
    client.post(reverse("packages:publish", args=[course.pk, 1]))
    assert package_current_for(course=course).estimated_minutes == 25


def test_a_refused_upload_shows_its_reason_on_the_form(client, course, educator):
    client.force_login(educator)
    response = client.post(reverse("packages:list", args=[course.pk]),
                           {"file": _upload(builders.traversal_zip()), "estimated_minutes": 20})
    assert response.status_code == 200
    assert "path traversal" in response.content.decode()


def test_packages_belong_to_online_activities(educator):
    from tests.factories import CourseFactory

    live = CourseFactory(format=Course.Format.LIVE, directors=[educator])
    with pytest.raises(ValidationError, match="online"):
        services.package_upload(course=live, editor=educator,
                                upload=_upload(builders.scorm12_zip()))
