/* Meeting workspace: htmx updates the SWOT boards and the goals in place
 * (docs/architecture.md, "Meeting workspace"). A message at the top of the page told of an
 * earlier step, so it goes once the page changes. (A refused or failed step is told by
 * htmx-refused.js, in the words of this page's #htmx-refused template.) A static file, not an
 * inline script: the Content-Security-Policy runs no inline code. */
(function () {
  "use strict";

  document.body.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("#main > .messages").forEach(function (el) {
      el.remove();
    });
  });
})();
