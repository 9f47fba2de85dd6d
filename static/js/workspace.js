/* Meeting workspace: htmx updates the SWOT boards and the goals in place
 * (docs/architecture.md, "Meeting workspace"). A message at the top of the page told of an
 * earlier step, so it goes once the page changes; a refused (403/404) or failed request,
 * which htmx does not swap, says so next to where it happened (the text is the page's
 * #workspace-refused template, so it is translated). A static file, not an inline script:
 * the Content-Security-Policy runs no inline code. */
(function () {
  "use strict";

  function clear() {
    document.querySelectorAll("#main > .messages, .workspace-refused").forEach(function (el) {
      el.remove();
    });
  }

  function refused(event) {
    clear();
    var target = event.detail.target || event.target;
    var note = document.getElementById("workspace-refused").content.cloneNode(true);
    target.parentNode.insertBefore(note, target);
  }

  document.body.addEventListener("htmx:afterSwap", clear);
  document.body.addEventListener("htmx:responseError", refused);
  document.body.addEventListener("htmx:sendError", refused);
})();
