"""cmi5 courses built from source in the tests: two AUs in a block (one judged on completion,
one on completion and a pass mark) and a third the LMS counts as satisfied (NotApplicable), and
the broken course structures the upload refuses."""
from .builders import _zip

COURSE_ID = "https://cpd.example.org/courses/transfusion"
AU_CHECKS = "https://cpd.example.org/courses/transfusion/checks"
AU_REACTIONS = "https://cpd.example.org/courses/transfusion/reactions"
AU_CARD = "https://cpd.example.org/courses/transfusion/card"

COURSE_XML = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{course_id}">
    <title><langstring lang="en-US">{title}</langstring></title>
    <description><langstring lang="en-US">Checks before, during and after.</langstring>
    </description>
  </course>
  <block id="{course_id}/block">
    <title><langstring lang="en-US">At the bedside</langstring></title>
    <description><langstring lang="en-US">The two checked parts.</langstring></description>
    <au id="{checks}" moveOn="{checks_move_on}" launchMethod="AnyWindow">
      <title><langstring lang="en-US">Identity checks</langstring></title>
      <description><langstring lang="en-US">Positive identification.</langstring></description>
      <url>checks.html</url>
    </au>
    <au id="{reactions}" moveOn="CompletedAndPassed" masteryScore="{mastery}">
      <title><langstring lang="en-US">Recognising reactions</langstring></title>
      <description><langstring lang="en-US">Signs and first steps.</langstring></description>
      <launchParameters>mode=quiz</launchParameters>
      <url>{reactions_url}</url>
    </au>
  </block>
  <au id="{card}">
    <title><langstring lang="en-US">Quick reference card</langstring></title>
    <description><langstring lang="en-US">A card to print.</langstring></description>
    <url>card.html</url>
  </au>
</courseStructure>
"""

PAGE = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{0}</title></head>"
        "<body><h1>{0}</h1></body></html>")


def cmi5_files(*, title="Blood transfusion at the bedside", checks_move_on="Completed",
               mastery="0.8", reactions_url="reactions.html?part=2") -> dict[str, str]:
    return {"cmi5.xml": COURSE_XML.format(
                course_id=COURSE_ID, title=title, checks=AU_CHECKS, reactions=AU_REACTIONS,
                card=AU_CARD, checks_move_on=checks_move_on, mastery=mastery,
                reactions_url=reactions_url),
            "checks.html": PAGE.format("Identity checks"),
            "reactions.html": PAGE.format("Recognising reactions"),
            "card.html": PAGE.format("Quick reference card")}


def cmi5_zip(**kwargs) -> bytes:
    return _zip(cmi5_files(**kwargs))


def bad_move_on_zip() -> bytes:
    return cmi5_zip(checks_move_on="Viewed")


def mastery_out_of_range_zip() -> bytes:
    return cmi5_zip(mastery="80")


def remote_au_zip() -> bytes:
    return cmi5_zip(reactions_url="https://vendor.example.com/au/start.html")


def au_file_missing_zip() -> bytes:
    files = cmi5_files()
    del files["checks.html"]
    return _zip(files)


def not_cmi5_namespace_zip() -> bytes:
    files = cmi5_files()
    files["cmi5.xml"] = files["cmi5.xml"].replace("profiles/cmi5/v1", "profiles/other/v9")
    return _zip(files)


def nested_course_structure_zip() -> bytes:
    return _zip({f"course/{name}": data for name, data in cmi5_files().items()})
