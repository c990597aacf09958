/* The checks AU is judged on completion (moveOn Completed): reading the page completes it. */
(function () {
  "use strict";
  var read = document.getElementById("read");
  read.addEventListener("click", function () {
    window.cmi5Au.complete().then(function () {
      read.disabled = true;
      window.cmi5Au.say("Recorded as read. Choose “Finish this part”.");
    }).catch(function (error) { window.cmi5Au.say(error.message); });
  });
})();
