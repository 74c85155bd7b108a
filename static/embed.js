// Responsive embeds, as Datawrapper's: one small script with two roles.
// Inside a chart's embed.html (body.embedded, in a frame) it posts the page's height to the
// parent when loaded and whenever it changes (a narrower frame, the data table opened).
// On the page that embeds the chart (the snippet's <script> tag) it sets each of this site's
// iframes to the height its chart posts. Without it the iframe keeps the snippet's height.
(function () {
  "use strict";
  var KEY = "rmc-embed-height";
  var ASK = "rmc-embed-ask";  // a host that loaded after the chart asks for its height again
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : location.origin;

  function postHeight() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    var msg = {};
    msg[KEY] = h;
    window.parent.postMessage(msg, "*");
  }

  function inFrame() {
    window.addEventListener("load", postHeight);
    window.addEventListener("resize", postHeight);
    if ("ResizeObserver" in window) new ResizeObserver(postHeight).observe(document.body);
    document.addEventListener("toggle", postHeight, true);  // a <details> opened or closed
    window.addEventListener("message", function (e) {
      if (e.source === window.parent && e.data && e.data[ASK]) postHeight();
    });
    postHeight();
  }

  function inHost() {
    var frames = document.getElementsByTagName("iframe");
    window.addEventListener("message", function (e) {
      var h = e.data && e.data[KEY];
      if (e.origin !== origin || typeof h !== "number" || !(h > 0 && h < 20000)) return;
      for (var i = 0; i < frames.length; i++) {
        if (frames[i].contentWindow === e.source) frames[i].style.height = h + "px";
      }
    });
    var ask = {};
    ask[ASK] = 1;
    for (var j = 0; j < frames.length; j++) {
      if (frames[j].src.indexOf(origin + "/") === 0 && frames[j].contentWindow) {
        frames[j].contentWindow.postMessage(ask, origin);
      }
    }
  }

  if (window.parent !== window && document.body && document.body.classList.contains("embedded")) {
    inFrame();
  } else {
    inHost();
  }
})();
