/* Every page: a form or button that htmx sends, and that the portal refuses (403: a form
 * expired; 429; 500; 503: the database restarting) or cannot be reached for, would otherwise
 * do nothing visible, since htmx swaps only successful answers. A note says so next to where
 * it happened, in words of the page's own #htmx-refused template (so it is translated; a page
 * may give its own). What the person typed stays in the form. A static file, not an inline
 * script: the Content-Security-Policy runs no inline code. */
(function () {
  "use strict";

  function clear() {
    document.querySelectorAll(".htmx-refused").forEach(function (el) {
      el.remove();
    });
  }

  function refused(event) {
    var template = document.getElementById("htmx-refused");
    var target = event.detail.target || event.target;
    if (!template || !target || !target.parentNode) {
      return;
    }
    clear();
    var note = template.content.firstElementChild.cloneNode(true);
    target.parentNode.insertBefore(note, target);
    note.focus();
  }

  document.body.addEventListener("htmx:afterSwap", clear);
  document.body.addEventListener("htmx:responseError", refused);
  document.body.addEventListener("htmx:sendError", refused);
})();
