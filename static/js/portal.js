// Small behaviours shared by every page; the CSP allows no inline handlers, so they live here.
// A read-only link field selects its whole text on focus, ready to copy (calendar feed).
document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("input[data-select-on-focus]")) {
    event.target.select();
  }
});
