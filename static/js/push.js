// Turning notifications on for this device (the notification preferences page): asks the
// browser to subscribe with the portal's VAPID key and sends the subscription to the portal.
(function () {
  "use strict";
  var offer = document.querySelector("[data-push-offer]");
  if (!offer || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  offer.hidden = false;

  function fromBase64Url(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  offer.querySelector("[data-push-subscribe]").addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: fromBase64Url(offer.getAttribute("data-key")) });
    }).then(function (subscription) {
      return fetch(offer.getAttribute("data-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(subscription) });
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      offer.querySelector("[data-push-subscribe]").hidden = true;
      document.querySelector("[data-push-done]").hidden = false;
    }).catch(function () {
      document.querySelector("[data-push-refused]").hidden = false;
    });
  });
})();
