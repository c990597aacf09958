"""SCORM packages built from source in the tests: a SCORM 1.2 single-SCO module, a SCORM 2004
module with two SCOs and sequencing, and the malformed and hostile zips the upload refuses
(cmi5 courses: cmi5_builders)."""
import io
import stat
import zipfile

SCO_12_JS = """\
// A SCORM 1.2 SCO: finds the API, resumes from suspend_data, scores a two-question quiz.
var api = window.API;
function $(id) { return document.getElementById(id); }
api.LMSInitialize("");
var visits = parseInt(api.LMSGetValue("cmi.suspend_data") || "0", 10) + 1;
$("resume").textContent = "Visit " + visits + ", resumed at: " +
  (api.LMSGetValue("cmi.core.lesson_location") || "start");
api.LMSSetValue("cmi.suspend_data", String(visits));
api.LMSSetValue("cmi.core.lesson_location", "page-2");
api.LMSCommit("");
$("quiz").addEventListener("submit", function (event) {
  event.preventDefault();
  var right = 0;
  ["q1", "q2"].forEach(function (name, index) {
    var chosen = document.querySelector("input[name=" + name + "]:checked");
    var value = chosen ? chosen.value : "";
    if (value === "a") { right += 1; }
    api.LMSSetValue("cmi.interactions." + index + ".id", name);
    api.LMSSetValue("cmi.interactions." + index + ".type", "choice");
    api.LMSSetValue("cmi.interactions." + index + ".student_response", value);
    api.LMSSetValue("cmi.interactions." + index + ".result", value === "a" ? "correct" : "wrong");
  });
  var score = right * 50;
  api.LMSSetValue("cmi.core.score.raw", String(score));
  api.LMSSetValue("cmi.core.score.min", "0");
  api.LMSSetValue("cmi.core.score.max", "100");
  api.LMSSetValue("cmi.core.lesson_status", score >= 80 ? "passed" : "failed");
  api.LMSSetValue("cmi.core.session_time", "00:03:10");
  api.LMSCommit("");
  $("result").textContent = "Score " + score + ": " + (score >= 80 ? "passed" : "failed");
});
$("finish").addEventListener("click", function () {
  api.LMSFinish("");
  $("result").textContent = "Finished";
});
"""

SCO_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p id="resume"></p>
<form id="quiz">
<fieldset><legend>When do you clean your hands before touching a patient?</legend>
<label><input type="radio" name="q1" value="a"> Every time</label>
<label><input type="radio" name="q1" value="b"> When they look soiled</label></fieldset>
<fieldset><legend>How long does an alcohol rub take?</legend>
<label><input type="radio" name="q2" value="a"> 20 to 30 seconds</label>
<label><input type="radio" name="q2" value="b"> 5 seconds</label></fieldset>
<button type="submit">Submit answers</button></form>
<p><button type="button" id="finish">Finish</button></p>
<p id="result" role="status"></p>
<script src="{script}"></script></body></html>
"""

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="hand-hygiene" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item-1" identifierref="res-1">
        <title>The five moments</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="sco.js"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="central-line" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Central-line care</title>
      <item identifier="insertion" identifierref="res-insertion">
        <title>Insertion bundle</title>
      </item>
      <item identifier="maintenance" identifierref="res-maintenance">
        <title>Maintenance and removal</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="maintenance" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-insertion" type="webcontent"
      adlcp:scormType="sco" href="insertion/index.html">
      <file href="insertion/index.html"/>
    </resource>
    <resource identifier="res-maintenance" type="webcontent"
      adlcp:scormType="sco" href="maintenance/index.html">
      <file href="maintenance/index.html"/>
    </resource>
  </resources>
</manifest>
"""


def _zip(files: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def scorm12_files(*, title="Hand hygiene: the five moments", mastery="80", version="1.2"):
    return {"imsmanifest.xml": MANIFEST_12.format(title=title, mastery=mastery, version=version),
            "index.html": SCO_HTML.format(title=title, script="sco.js"),
            "sco.js": SCO_12_JS}


def scorm12_zip(**kwargs) -> bytes:
    return _zip(scorm12_files(**kwargs))


def scorm2004_zip() -> bytes:
    page = ("<!doctype html><html lang='en'><head><title>{0}</title></head>"
            "<body><h1>{0}</h1></body></html>")
    return _zip({"imsmanifest.xml": MANIFEST_2004,
                 "insertion/index.html": page.format("Insertion bundle"),
                 "maintenance/index.html": page.format("Maintenance and removal")})


def traversal_zip() -> bytes:
    files = scorm12_files()
    files["../../settings.py"] = "SECRET_KEY = 'stolen'"
    return _zip(files)


def bomb_zip() -> bytes:
    files = scorm12_files()
    files["video/padding.bin"] = b"\0" * (30 * 1024 * 1024)  # ~30 KB compressed: 1,000 times
    return _zip(files)


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in scorm12_files().items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def without_manifest_zip() -> bytes:
    files = scorm12_files()
    del files["imsmanifest.xml"]
    return _zip(files)


def nested_manifest_zip() -> bytes:
    return _zip({f"export/{name}": data for name, data in scorm12_files().items()})


def malformed_manifest_zip() -> bytes:
    files = scorm12_files()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace("</organizations>", "")
    return _zip(files)


def unknown_version_zip() -> bytes:
    return scorm12_zip(version="2.0 Draft")


def launch_missing_zip() -> bytes:
    files = scorm12_files()
    del files["index.html"]
    return _zip(files)


def xml_entity_bomb_zip() -> bytes:
    files = scorm12_files()
    files["imsmanifest.xml"] = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaa">'
                                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>')
    return _zip(files)


HOSTILE_JS = """\
// A hostile SCO: tries to read the portal's cookies, its page and its storage, then reports
// "passed" and commits without ever calling LMSFinish.
function attempt(what, read) {
  var line = document.createElement("li");
  try { line.textContent = what + ": read " + JSON.stringify(String(read()).slice(0, 40)); }
  catch (error) { line.textContent = what + ": blocked (" + error.name + ")"; }
  document.getElementById("probes").appendChild(line);
}
attempt("cookie", function () { return document.cookie; });
attempt("portal page", function () { return window.parent.document.title; });
attempt("local storage", function () { return window.localStorage.length; });
var api = window.API;
api.LMSInitialize("");
api.LMSSetValue("cmi.core.lesson_status", "passed");
api.LMSCommit("");
document.getElementById("done").textContent = "Reported passed without Finish";
"""


def hostile_zip() -> bytes:
    files = scorm12_files(title="Hostile package")
    files["index.html"] = ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                           "<title>Hostile</title></head><body><h1>Probes</h1><ul id='probes'>"
                           "</ul><p id='done'></p><script src='sco.js'></script></body></html>")
    files["sco.js"] = HOSTILE_JS
    return _zip(files)
