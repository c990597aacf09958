/* The demo cmi5 AUs' one script (plain JavaScript, no library): it reads the launch URL (cmi5
   section 8.1), fetches the session's token once (8.2), reads LMS.LaunchData (10), and sends
   the cmi5 defined statements: initialized, completed, passed or failed, terminated (9.3). */
(function () {
  "use strict";
  var query = new URLSearchParams(window.location.search);
  var endpoint = query.get("endpoint"), registration = query.get("registration");
  var activityId = query.get("activityId"), actor = JSON.parse(query.get("actor") || "null");
  var status = document.getElementById("result");
  var started = Date.now(), token = "", launchData = null, terminated = false;
  var VERB = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon";

  function say(text) { if (status) { status.textContent = text; } }
  function uuid() {
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function duration() { return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S"; }
  function xapi(method, path, body) {
    // keepalive: a statement sent as the learner leaves the part (terminated, then "Save and
    // go on") still reaches the portal rather than being cut off with the page.
    return window.fetch(endpoint + path, {
      method: method, body: body ? JSON.stringify(body) : undefined, keepalive: method !== "GET",
      headers: { "Authorization": "Basic " + token, "Content-Type": "application/json",
                 "X-Experience-API-Version": "1.0.3" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("The portal answered " + response.status); }
      return response.status === 204 ? null : response.json();
    });
  }
  function send(verb, result, moveOn) {
    var context = JSON.parse(JSON.stringify(launchData.contextTemplate));
    context.registration = registration;
    context.contextActivities = context.contextActivities || {};
    context.contextActivities.category = [{ id: CMI5 }].concat(moveOn ? [{ id: MOVE_ON }] : []);
    if (launchData.masteryScore !== undefined && (verb === "passed" || verb === "failed")) {
      context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] = launchData.masteryScore;
    }
    var statement = { id: uuid(), actor: actor, verb: { id: VERB + verb, display: { "en-US": verb } },
                      object: { id: activityId, objectType: "Activity" }, context: context,
                      timestamp: new Date().toISOString() };
    if (result) { statement.result = result; }
    return xapi("POST", "statements", [statement]);
  }

  var ready = window.fetch(query.get("fetch"), { method: "POST" })
    .then(function (response) { return response.json(); })
    .then(function (answer) {
      if (!answer["auth-token"]) { throw new Error(answer["error-text"] || "No token"); }
      token = answer["auth-token"];
      var state = "activities/state?" + new URLSearchParams({
        activityId: activityId, agent: JSON.stringify(actor), registration: registration,
        stateId: "LMS.LaunchData" }).toString();
      return xapi("GET", state);
    })
    .then(function (data) { launchData = data; return send("initialized"); })
    .then(function () { say("Ready. Your progress is recorded as you go."); })
    .catch(function (error) { say("This part could not reach the portal: " + error.message); });

  window.cmi5Au = {
    complete: function () {
      return ready.then(function () { return send("completed", { completion: true, duration: duration() }, true); });
    },
    judge: function (scaled) {
      var mastery = launchData && launchData.masteryScore !== undefined ? launchData.masteryScore : 0.8;
      var passed = scaled >= mastery;
      return ready.then(function () {
        return send(passed ? "passed" : "failed",
                    { success: passed, score: { scaled: scaled }, duration: duration() }, passed);
      }).then(function () { return passed; });
    },
    terminate: function () {
      if (terminated) { return ready; }
      terminated = true;
      return ready.then(function () { return send("terminated", { duration: duration() }); });
    },
    say: say
  };

  var finish = document.getElementById("finish");
  if (finish) {
    finish.addEventListener("click", function () {
      window.cmi5Au.terminate().then(function () {
        finish.disabled = true;
        say("Finished. Your result is saved; choose “Save and go on” below this part.");
      });
    });
  }
})();
