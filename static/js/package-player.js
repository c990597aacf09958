/* The SCORM player (credits/online/scorm): scorm-again's API runs in this page and commits to
   the portal; the package runs in a sandboxed frame of its own origin and reaches the API
   through scorm-again's cross-frame messages (docs/decisions/0014). */
(function () {
  "use strict";
  var frame = document.getElementById("package-frame");
  var launchData = document.getElementById("package-launch");
  if (!frame || !launchData) { return; }
  var launch = JSON.parse(launchData.textContent);
  var status = document.getElementById("package-status");

  function say(text) { if (status) { status.textContent = text; } }

  function newCommitId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var settings = {
    lmsCommitUrl: launch.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    sendFullCommit: true,
    selfReportSessionTime: true,
    // The last commit goes by sendBeacon, which carries no headers: the commit endpoint
    // checks the Origin of a JSON body instead of a CSRF token (credits/online/scorm/views.py).
    logLevel: 5,
    // Each commit carries an id of its own, so a retried request is stored once.
    requestHandler: function (commitObject, metadata) {
      return { commit_id: newCommitId(), terminate: !!(metadata && metadata.isTerminateCommit),
               cmi: commitObject };
    }
  };
  var API = launch.standard === "scorm12" ? window.Scorm12API : window.Scorm2004API;
  var api = new API(settings);
  api.loadFromJSON(launch.cmi);

  // Only the package's own frame may call the API: a message from any other window (another
  // site that opened this page, say) is stopped before scorm-again's listener sees it.
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) { event.stopImmediatePropagation(); }
  }, true);
  // The sandboxed frame's origin is opaque ("null"), which postMessage cannot target by name.
  new window.CrossFrameLMS(api, "*");

  var saved = "Your progress is saved as you go.";
  ["LMSCommit", "Commit"].forEach(function (name) { api.on(name, function () { say(saved); }); });
  ["LMSFinish", "Terminate"].forEach(function (name) {
    api.on(name, function () { say("Module finished; your result is saved."); });
  });
  frame.addEventListener("load", function () { say(saved); });
  frame.src = frame.dataset.src;
})();
