/* Live mode: count down the current speaker's remaining time between server refreshes.
 * The server renders the remaining seconds (data-remaining) and the same text; without
 * JavaScript a reload shows the same value. Elements swapped in by htmx are picked up on
 * the next tick. */
(function () {
  "use strict";

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var now = Date.now();
    var timers = document.querySelectorAll("[data-remaining]");
    Array.prototype.forEach.call(timers, function (el) {
      if (!el.dataset.endsAt) {
        el.dataset.endsAt = String(now + Number(el.dataset.remaining) * 1000);
      }
      var left = Math.max(0, Math.round((Number(el.dataset.endsAt) - now) / 1000));
      var text = format(left);
      if (el.textContent !== text) {
        el.textContent = text;
      }
      if (left === 0) {
        var up = document.getElementById(el.getAttribute("data-time-up"));
        if (up) {
          up.hidden = false;
        }
      }
    });
  }

  setInterval(tick, 1000);
})();
