// Tooltips for charts: the static SVG is already on the page. The ~900 KB
// vega-embed bundle (self-hosted) loads only when a reader reaches or touches
// a chart, and only after the page has rendered.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundleUrl = script && script.getAttribute("data-bundle");
  var loading = null;

  function loadBundle() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = bundleUrl;
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function enhance(figure) {
    if (figure.getAttribute("data-enhanced")) return;
    figure.setAttribute("data-enhanced", "1");
    var frame = figure.querySelector(".chart-frame");
    var specEl = figure.querySelector(".chart-spec");
    if (!frame || !specEl) return;
    loadBundle().then(function () {
      var spec = JSON.parse(specEl.textContent);
      // Two drawings, narrow and wide (style.css shows one): the one shown becomes interactive,
      // from its own spec (the wide one rides in usermeta, without the data both share).
      var old = null;
      frame.querySelectorAll("svg").forEach(function (s) {
        if (!old && s.getBoundingClientRect().width > 0) old = s;
      });
      if (!old) return;
      var wide = spec.usermeta && spec.usermeta.wide;
      if (wide && old.classList.contains("chart-wide")) {
        wide.datasets = spec.datasets;
        spec = wide;
      }
      delete spec.usermeta;
      var holder = document.createElement("div");
      return window.vegaEmbed(holder, spec, { actions: false, renderer: "svg" }).then(function () {
        var svg = holder.querySelector("svg");
        if (svg && old) {
          // Same size as the static chart (CSS scales both down on phones), so nothing moves.
          ["role", "aria-labelledby", "aria-describedby", "class", "width", "height"].forEach(function (a) {
            if (old.getAttribute(a)) svg.setAttribute(a, old.getAttribute(a));
          });
          frame.replaceChild(svg, old);
        }
      });
    }).catch(function () { /* the static chart stays; nothing is lost */ });
  }

  function start() {
    var figures = document.querySelectorAll("figure.chart");
    figures.forEach(function (f) {
      ["pointerdown", "pointerenter", "focusin"].forEach(function (type) {
        f.addEventListener(type, function () { enhance(f); }, { once: true });
      });
    });
    if (!("IntersectionObserver" in window)) return;
    // Charts a reader scrolls to are enhanced as they come near. A lead chart on the first
    // screen keeps its static drawing until the reader scrolls or touches it, so the bundle
    // never competes with the first screen on a slow network.
    window.addEventListener("scroll", function () {
      var io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { io.unobserve(e.target); enhance(e.target); }
        });
      }, { rootMargin: "100px" });
      figures.forEach(function (f) { io.observe(f); });
    }, { once: true, passive: true });
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
