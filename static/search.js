// The search page: Pagefind's UI (self-hosted under /pagefind/), started with the
// query from the header form (?q=…). Pagefind picks this language's index from <html lang>.
(function () {
  "use strict";
  function start() {
    if (!window.PagefindUI) return;
    var ui = new window.PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
    var box = document.getElementById("search");
    // Pagefind's input has only a title; give it a real accessible name in the page's language.
    var tries = 0;
    (function label() {
      var input = box.querySelector("input");
      if (input) input.setAttribute("aria-label", box.getAttribute("data-label"));
      else if (tries++ < 50) window.requestAnimationFrame(label);
    })();
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
