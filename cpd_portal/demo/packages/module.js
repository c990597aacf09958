/* The demo packages' one script (copied into each package by cpd_portal/demo/scorm.py): pages
   with Back and Next, the place and pages seen kept in the LMS for resuming, and an optional
   quiz scored here and reported as SCORM 1.2 or SCORM 2004, whichever API the player gives. */
(function () {
  "use strict";
  var api12 = window.API, api2004 = window.API_1484_11;
  var scorm2004 = !api12 && !!api2004;
  var api = api12 || api2004;
  function get(name12, name2004) { return api ? api[scorm2004 ? "GetValue" : "LMSGetValue"](scorm2004 ? name2004 : name12) : ""; }
  function set(name12, name2004, value) { if (api) { api[scorm2004 ? "SetValue" : "LMSSetValue"](scorm2004 ? name2004 : name12, String(value)); } }
  function commit() { if (api) { api[scorm2004 ? "Commit" : "LMSCommit"](""); } }
  if (api) { api[scorm2004 ? "Initialize" : "LMSInitialize"](""); }

  var pages = Array.prototype.slice.call(document.querySelectorAll(".page"));
  var quiz = document.getElementById("quiz");
  var seen = {};
  (get("cmi.suspend_data", "cmi.suspend_data") || "").split(",").forEach(function (n) { if (n) { seen[n] = true; } });
  var current = parseInt(get("cmi.core.lesson_location", "cmi.location") || "0", 10) || 0;
  if (current >= pages.length) { current = 0; }
  var back = document.getElementById("back"), next = document.getElementById("next");
  var position = document.getElementById("position"), result = document.getElementById("result");

  function show(index) {
    current = index;
    pages.forEach(function (page, n) { page.hidden = n !== index; });
    seen[index] = true;
    position.textContent = "Page " + (index + 1) + " of " + pages.length;
    back.disabled = index === 0;
    next.hidden = index === pages.length - 1;
    set("cmi.core.lesson_location", "cmi.location", index);
    set("cmi.suspend_data", "cmi.suspend_data", Object.keys(seen).join(","));
    if (!quiz && Object.keys(seen).length === pages.length) {
      set("cmi.core.lesson_status", "cmi.completion_status", "completed");
    } else if (!scorm2004 && get("cmi.core.lesson_status") === "not attempted") {
      set("cmi.core.lesson_status", null, "incomplete");
    } else if (scorm2004 && get(null, "cmi.completion_status") !== "completed") {
      set(null, "cmi.completion_status", "incomplete");
    }
    commit();
    pages[index].querySelector("h2").focus();
  }
  back.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });

  if (quiz) {
    quiz.addEventListener("submit", function (event) {
      event.preventDefault();
      var questions = quiz.querySelectorAll("fieldset"), right = 0;
      Array.prototype.forEach.call(questions, function (question, n) {
        var chosen = question.querySelector("input:checked");
        var correct = !!(chosen && chosen.hasAttribute("data-correct"));
        if (correct) { right += 1; }
        question.classList.toggle("wrong", !correct);
        var prefix = "cmi.interactions." + n + ".";
        set(prefix + "id", prefix + "id", question.id);
        set(prefix + "type", prefix + "type", "choice");
        set(prefix + "student_response", prefix + "learner_response", chosen ? chosen.value : "");
        set(prefix + "result", prefix + "result", correct ? "correct" : (scorm2004 ? "incorrect" : "wrong"));
      });
      var percent = Math.round(100 * right / questions.length);
      var passMark = parseFloat(quiz.getAttribute("data-pass-percent"));
      var passed = percent >= passMark;
      set("cmi.core.score.raw", "cmi.score.raw", percent);
      set("cmi.core.score.min", "cmi.score.min", 0);
      set("cmi.core.score.max", "cmi.score.max", 100);
      if (scorm2004) {
        set(null, "cmi.score.scaled", percent / 100);
        set(null, "cmi.completion_status", "completed");
        set(null, "cmi.success_status", passed ? "passed" : "failed");
      } else {
        set("cmi.core.lesson_status", null, passed ? "passed" : "failed");
      }
      commit();
      result.textContent = "You scored " + percent + "% (" + right + " of " + questions.length + "). " +
        (passed ? "Passed: press Finish to record it." : "Not passed yet: review the pages marked and try again.");
    });
  }
  document.getElementById("finish").addEventListener("click", function () {
    if (api) {
      set("cmi.core.exit", "cmi.exit", "");
      api[scorm2004 ? "Terminate" : "LMSFinish"]("");
    }
    result.textContent = "Finished. Your result is recorded; you can close this module.";
  });
  show(current);
})();
