// The lesson list is served folded; beside the lesson on wide screens it opens, where opening
// moves nothing else. Above the lesson on phones it stays folded.
if (window.matchMedia("(min-width: 900px)").matches) {
  document.querySelectorAll("details.module-nav-details").forEach(function (details) {
    details.open = true;
  });
}
