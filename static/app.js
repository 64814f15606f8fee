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
