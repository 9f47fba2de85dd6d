/* Live mode: count down the current speaker's remaining time between server refreshes, and
 * keep the focus where it was when a poll swaps the board.
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

  /* A poll (the board's own GET; a step's answer focuses its message itself) replaces the
   * board. htmx puts the focus back on the control of the same id; when that control is gone
   * (the turn that was started, the step's message, the join button once on the list) or
   * the browser dropped the focus from the name kept while typing (hx-preserve), the focus
   * goes back to that control, else to the speakers list, not to the top of the page. */
  var focused = null;

  function isPoll(event) {
    var config = event.detail.requestConfig;
    return config && config.verb === "get" && event.detail.elt.id === "live-board";
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var board = document.getElementById("live-board");
    var active = document.activeElement;
    focused = isPoll(event) && board && active && board.contains(active) ? active : null;
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!focused || !isPoll(event)) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) {
      focused = null;
      return;
    }
    var again = focused.id ? document.getElementById(focused.id) : null;
    var target = again || document.getElementById("speakers");
    focused = null;
    if (target) {
      target.focus({ preventScroll: true });
    }
  });
})();
