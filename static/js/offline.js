// The installable app's page side (docs/offline-and-push.md): registers the service worker for
// signed-in people, shows "Offline - last updated <time>" on a page opened from the phone's
// copy, counts actions kept to send later, asks for them to be sent when the connection returns,
// records a lesson read offline, and empties the phone's copies on sign-out.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var body = document.body;
  var sw = body.getAttribute("data-service-worker");

  function show(selector, text) {
    var element = document.querySelector(selector);
    if (!element) return;
    if (text !== undefined) element.querySelector("time, span").textContent = text;
    element.hidden = false;
  }

  function tell(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  function csrfToken() {
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // Signed out: no service worker is registered, and one left by an earlier sign-in is removed.
  if (!sw) {
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (registration) { registration.unregister(); });
    });
    if (window.caches) caches.delete("cpd-pages");
    return;
  }

  var offlineCopy = body.getAttribute("data-offline-copy");
  if (offlineCopy) {
    var saved = new Date(offlineCopy);
    var notice = document.querySelector("[data-offline-notice] time");
    if (notice) notice.setAttribute("datetime", offlineCopy);
    var format = { weekday: "short", day: "numeric", month: "short", hour: "2-digit",
                   minute: "2-digit", hourCycle: "h23", timeZoneName: "short" };
    try {
      // In the learner's time zone from their profile, as the portal shows every time.
      format.timeZone = body.getAttribute("data-time-zone") || undefined;
      new Intl.DateTimeFormat(undefined, format);
    } catch (e) { delete format.timeZone; }
    show("[data-offline-notice]", saved.toLocaleString(document.documentElement.lang, format));
    // A lesson opened from the copy: its reading is kept and sent like any other action.
    var lesson = document.querySelector("[data-lesson-read-url]");
    if (lesson) {
      fetch(lesson.getAttribute("data-lesson-read-url"),
        { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .catch(function () {});
    }
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "queue") {
      var element = document.querySelector("[data-offline-queue]");
      if (data.waiting) show("[data-offline-queue]", String(data.waiting));
      else if (element) element.hidden = true;
    }
    if (data.type === "warmed") body.setAttribute("data-offline-ready", "");
    if (data.type === "replayed") {
      var waiting = document.querySelector("[data-offline-queue]");
      if (waiting) waiting.hidden = true;
      show("[data-offline-sent]");
      // The page came from the phone's copy: load the live one, with the server's word on
      // what was recorded.
      if (offlineCopy) window.location.reload();
    }
  });

  navigator.serviceWorker.register(sw, { scope: "/" }).then(function () {
    tell({ type: "count" });
    if (navigator.onLine) tell({ type: "replay" });
    if (navigator.onLine && !offlineCopy) tell({ type: "warm" });
  });
  window.addEventListener("online", function () { tell({ type: "replay" }); });

  document.addEventListener("submit", function (event) {
    if (event.target.getAttribute("action") === body.getAttribute("data-sign-out")) {
      tell({ type: "forget" });
      if (window.caches) caches.delete("cpd-pages");
    }
  });
})();
