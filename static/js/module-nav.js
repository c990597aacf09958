// The lesson list starts open beside the lesson on wide screens and folded above it on phones.
document.querySelectorAll("details.module-nav-details").forEach(function (details) {
  details.open = window.matchMedia("(min-width: 900px)").matches;
});
