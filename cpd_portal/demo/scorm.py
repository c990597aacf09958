"""Three packages made for the portal, committed as source under `packages/` and zipped here,
uploaded, extracted and published as a director would: *Hand Hygiene: the Five Moments*
(SCORM 1.2, one SCO, mastery score 80), *Central-Line Care: Preventing CLABSI* (SCORM 2004
4th edition, two SCOs, the second with a scaled passing score of 0.8) and *Blood Transfusion
at the Bedside* (cmi5, two AUs: moveOn Completed, then CompletedAndPassed with masteryScore
0.8)."""
import datetime
import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.credit_types import CreditType
from courses.models import Course
from courses.packages.services import package_extract_now, package_publish, package_upload
from courses.services.review import enduring_latest_termination

from .activities import ActivityPlan, activity_ensure
from .catalog import OKAFOR, PATEL
from .context import Demo, Plan

SOURCES = Path(__file__).resolve().parent / "packages"
# The script and style every demo package shares, copied into each zip.
SHARED = ("module.js", "module.css")
HAND_HYGIENE = "Hand Hygiene: the Five Moments"
CENTRAL_LINE = "Central-Line Care: Preventing CLABSI"
TRANSFUSION = "Blood Transfusion at the Bedside"


def package_zip(folder: str) -> bytes:
    """The package's source folder and the shared files as a zip, manifest at the top."""
    buffer = io.BytesIO()
    root = SOURCES / folder
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix())
        for name in SHARED:
            archive.write(SOURCES / name, name)
    return buffer.getvalue()


def _activity(demo: Demo, *, title: str, summary: str, description: str, objectives: str,
              credit: str, topics: tuple[str, ...] = ()) -> ActivityPlan:
    released = demo.today - datetime.timedelta(days=30)
    return ActivityPlan(
        title=title, summary=summary, description=description, learning_objectives=objectives,
        format=Course.Format.ENDURING, target_professions=(), topics=topics,
        specialties=("internal-medicine",),
        designations=((CreditType.AMA_PRA_1, credit, ""),),
        roster=((OKAFOR, "faculty"), (PATEL, "reviewer")), release_date=released,
        termination_date=enduring_latest_termination(released))


def activities(demo: Demo) -> list[tuple[ActivityPlan, str, int]]:
    return [
        (_activity(demo, title=HAND_HYGIENE,
                   summary="An interactive module on the WHO five moments for hand hygiene, "
                           "hand rub and hand washing, with a five-question check.",
                   description="Self-paced SCORM 1.2 module: three short pages and a check "
                               "with a pass mark of 80%. Required yearly for clinical staff.",
                   objectives="Name the five moments for hand hygiene\n"
                              "Choose between hand rub and soap and water\n"
                              "Clean hands around glove use",
                   credit="0.50"), "hand_hygiene_scorm12", 15),
        (_activity(demo, title=CENTRAL_LINE,
                   summary="Two interactive parts on preventing central line-associated "
                           "bloodstream infections: the insertion bundle, then maintenance.",
                   description="Self-paced SCORM 2004 module in two parts; the second ends "
                               "with a check with a pass mark of 80%.",
                   objectives="Apply the five elements of the central-line insertion bundle\n"
                              "Maintain lines: hub scrub, dressings, chlorhexidine bathing\n"
                              "Review the need for the line every day",
                   credit="1.00"), "central_line_scorm2004", 25),
        (_activity(demo, title=TRANSFUSION,
                   summary="Two short parts on safe transfusion: the bedside checks before "
                           "the first drop, then recognising and managing a reaction.",
                   description="Self-paced cmi5 module in two parts; the second ends with a "
                               "three-question check with a pass mark of 80%.",
                   objectives="Identify the patient positively before every unit\n"
                              "Check the unit against the prescription\n"
                              "Stop and manage a suspected transfusion reaction",
                   credit="0.50"), "transfusion_cmi5", 15),
    ]


def plan(demo: Demo) -> Plan:
    return Plan(courses=tuple(activity.title for activity, _folder, _minutes in
                              activities(demo)))


def _package_add(demo: Demo, course: Course, folder: str, minutes: int) -> None:
    package = package_upload(course=course, editor=demo.educator, estimated_minutes=minutes,
                             upload=SimpleUploadedFile(f"{folder}.zip", package_zip(folder),
                                                       content_type="application/zip"))
    # The demo extracts in place, so the activity can be submitted in the same transaction; the
    # queued task then finds the version extracted and does nothing.
    package_extract_now(package_id=package.pk)
    package.refresh_from_db()
    package_publish(package=package, editor=demo.educator, now=demo.now)


def seed(demo: Demo) -> None:
    for activity, folder, minutes in activities(demo):
        activity_ensure(demo, activity, content=lambda course, folder=folder, minutes=minutes:
                        _package_add(demo, course, folder, minutes))
