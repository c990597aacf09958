/* The reactions AU is judged on completion and a pass mark (moveOn CompletedAndPassed,
   masteryScore 0.8): answering every question completes it once; the score passes or fails. */
(function () {
  "use strict";
  var quiz = document.getElementById("quiz"), completed = false;
  quiz.addEventListener("submit", function (event) {
    event.preventDefault();
    var names = ["q1", "q2", "q3"], right = 0, answered = 0;
    names.forEach(function (name) {
      var chosen = quiz.querySelector("input[name=" + name + "]:checked");
      if (chosen) { answered += 1; }
      var correct = !!chosen && chosen.value === "a";
      if (correct) { right += 1; }
      chosen && chosen.closest("fieldset").classList.toggle("wrong", !correct);
    });
    if (answered < names.length) { window.cmi5Au.say("Answer all three questions."); return; }
    var scaled = Math.round(right / names.length * 100) / 100;
    var done = completed ? Promise.resolve() : window.cmi5Au.complete();
    completed = true;
    done.then(function () { return window.cmi5Au.judge(scaled); }).then(function (passed) {
      quiz.querySelector("button[type=submit]").disabled = passed;  // "passed" is sent once
      window.cmi5Au.say("Score " + Math.round(scaled * 100) + "%: " + (passed
        ? "passed. Choose “Finish this part”."
        : "not yet 80%. Read the page again and change your answers."));
    }).catch(function (error) { window.cmi5Au.say(error.message); });
  });
})();
