/* Put in front of a SCORM package's launch page (credits/online/scorm/launch.py): gives the SCO
   window.API (SCORM 1.2) or window.API_1484_11 (SCORM 2004), a scorm-again cross-frame client
   whose cache starts with the learner's data, so resuming reads the right values at once. */
(function () {
  "use strict";
  var seedElement = document.getElementById("cpd-package-seed");
  var api = new window.CrossFrameAPI("*", window.parent);
  var seed = JSON.parse(seedElement.textContent);
  Object.keys(seed).forEach(function (key) { api._cache.set(key, seed[key]); });
  if (seedElement.dataset.standard === "scorm12") { window.API = api; }
  else { window.API_1484_11 = api; }
})();
