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
    // Next to the form that was sent (a reply's form is far down a long thread), else next
    // to what the request was to change.
    var sender = event.detail.elt;
    var form = sender && sender.closest ? sender.closest("form") : null;
    var place = form || event.detail.target || event.target;
    if (!template || !place || !place.parentNode) {
      return;
    }
    clear();
    var note = template.content.firstElementChild.cloneNode(true);
    place.parentNode.insertBefore(note, place);
    note.focus();
  }

  document.body.addEventListener("htmx:afterSwap", clear);
  document.body.addEventListener("htmx:responseError", refused);
  document.body.addEventListener("htmx:sendError", refused);
})();
