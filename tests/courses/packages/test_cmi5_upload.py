"""A cmi5 course (cmi5.xml) read on upload: its AUs in order with moveOn, masteryScore and
launchMethod, and the broken course structures refused by name with nothing stored."""
import pytest
from django.core.exceptions import ValidationError

from courses.packages import services
from courses.packages.models import ContentPackage
from tests.courses.packages import cmi5_builders
from tests.courses.packages.test_upload import _stored_names, _upload, course  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_cmi5_course_lists_its_aus_and_how_each_is_judged(course, educator):  # noqa: F811
    package = services.package_upload(course=course, editor=educator,
                                       upload=_upload(cmi5_builders.cmi5_zip()))
    assert (package.standard, package.schema_version, package.title) == (
        "cmi5", "cmi5", "Blood transfusion at the bedside")
    assert [(au["title"], au["href"], au["move_on"], au["scaled_passing_score"],
             au["launch_method"]) for au in package.scos] == [
        ("Identity checks", "checks.html", "Completed", None, "AnyWindow"),
        ("Recognising reactions", "reactions.html?part=2", "CompletedAndPassed", "0.8",
         "AnyWindow"),
        ("Quick reference card", "card.html", "NotApplicable", None, "AnyWindow")]
    assert package.manifest["course_id"] == cmi5_builders.COURSE_ID


@pytest.mark.parametrize(("builder", "message"), [
    (cmi5_builders.bad_move_on_zip, "has moveOn “Viewed”"),
    (cmi5_builders.mastery_out_of_range_zip, "masteryScore 80 is outside 0 to 1"),
    (cmi5_builders.remote_au_zip, "outside the zip"),
    (cmi5_builders.au_file_missing_zip, "launches “checks.html”, which is not in the zip"),
    (cmi5_builders.not_cmi5_namespace_zip, "not in the cmi5 namespace"),
    (cmi5_builders.nested_course_structure_zip, "cmi5.xml is inside the folder “course”"),
])
def test_a_broken_cmi5_course_is_refused_whole_with_its_reason(course, educator,  # noqa: F811
                                                               builder, message):
    with pytest.raises(ValidationError) as refused:
        services.package_upload(course=course, editor=educator, upload=_upload(builder()))
    assert message in refused.value.messages[0]
    assert not ContentPackage.objects.exists()
    assert _stored_names() == []
