// Digilend pages: small helps only; every form works without this file.
// - the error summary of a refused form takes the focus, so that a screen reader reads it;
// - a field marked data-keep-focus (a scan field) gets the focus back after each page load;
// - window.digilend.beep(ok) gives a short sound and a vibration where the browser allows it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  var audio = null;
  function beep(ok) {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx) {
        audio = audio || new Ctx();
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = ok ? 880 : 220;
        gain.gain.value = 0.08;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start();
        osc.stop(audio.currentTime + (ok ? 0.12 : 0.35));
      }
    } catch (e) { /* no sound: fine */ }
    if (navigator.vibrate) { navigator.vibrate(ok ? 60 : [120, 60, 120]); }
  }
  window.digilend = { beep: beep };
  ready(function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); return; }
    var keep = document.querySelector("[data-keep-focus]");
    if (keep) { keep.focus(); }
    var outcome = document.querySelector("[data-beep]");
    if (outcome) { beep(outcome.getAttribute("data-beep") === "ok"); }
  });
})();
/* Loan desk (issue 14): signing on the screen. Each canvas.sign-pad records the strokes drawn
   with a finger, a stylus or a mouse (pointer events) into the hidden field named by its
   data-into: points "x,y" from 0 to 1000 across and down the pad, strokes separated by ";".
   Without JavaScript the pads stay hidden and the typed name is the way to sign. */
(function () {
  "use strict";
  var GRID = 1000;
  var MAX = 24000;
  function setUp(pad) {
    var form = pad.closest("form");
    var field = form && form.querySelector("input[name='" + pad.getAttribute("data-into") + "']");
    if (!field) { return; }
    var wrap = pad.parentNode;
    wrap.hidden = false;
    var ctx = pad.getContext("2d");
    var strokes = [];
    var current = null;
    function size() {
      var ratio = window.devicePixelRatio || 1;
      pad.width = Math.round(pad.clientWidth * ratio);
      pad.height = Math.round(pad.clientHeight * ratio);
      redraw();
    }
    function point(e) {
      var r = pad.getBoundingClientRect();
      var x = Math.round((e.clientX - r.left) / Math.max(r.width, 1) * GRID);
      var y = Math.round((e.clientY - r.top) / Math.max(r.height, 1) * GRID);
      return [Math.min(GRID, Math.max(0, x)), Math.min(GRID, Math.max(0, y))];
    }
    function redraw() {
      ctx.clearRect(0, 0, pad.width, pad.height);
      ctx.lineWidth = 2.5 * (window.devicePixelRatio || 1);
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#1b1f23";
      strokes.forEach(function (s) {
        ctx.beginPath();
        s.forEach(function (p, i) {
          var x = p[0] / GRID * pad.width;
          var y = p[1] / GRID * pad.height;
          if (i === 0) { ctx.moveTo(x, y); ctx.lineTo(x + 0.1, y); } else { ctx.lineTo(x, y); }
        });
        ctx.stroke();
      });
    }
    function save() {
      var text = strokes.map(function (s) {
        return s.map(function (p) { return p[0] + "," + p[1]; }).join(" ");
      }).join(";");
      field.value = text.length <= MAX ? text : "";
    }
    pad.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      try { pad.setPointerCapture(e.pointerId); } catch (err) { /* synthetic event */ }
      current = [point(e)];
      strokes.push(current);
      redraw();
    });
    pad.addEventListener("pointermove", function (e) {
      if (!current) { return; }
      var p = point(e);
      var last = current[current.length - 1];
      if (p[0] !== last[0] || p[1] !== last[1]) { current.push(p); redraw(); }
    });
    function end() { if (current) { current = null; save(); } }
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);
    pad.addEventListener("pointerleave", end);
    var clear = wrap.querySelector("[data-clear]");
    if (clear) {
      clear.addEventListener("click", function () { strokes = []; save(); redraw(); });
    }
    window.addEventListener("resize", size);
    size();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas.sign-pad"), setUp);
  }
  if (document.readyState !== "loading") { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
