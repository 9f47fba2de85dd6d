/* The header's language switch (templates/base.html) sends the page's path as `next`, but a
 * browser never sends the URL's fragment to the server: a reader at #comment-13 would land at
 * the top of the page in the other language. On submit the fragment is added to `next`
 * (unless it already has one). Without JavaScript the switch still works, to the page's top. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("language-switch")) {
      return;
    }
    var next = form.elements.namedItem("next");
    if (next && window.location.hash && next.value.indexOf("#") === -1) {
      next.value += window.location.hash;
    }
  });
})();
