// Swagger UI (templates/drf_spectacular/swagger_ui.html) leaves some form controls without an
// accessible name, such as the list of a parameter's allowed values: name each after its
// parameter; and lets a response's code block scroll without a way to reach it by keyboard:
// make it focusable; and draws the button that opens a nested schema without text: name it
// after its property. Swagger UI renders and re-renders parts of the page at will, so this watches.
(function () {
  "use strict";

  function unnamed(control) {
    return (
      !control.getAttribute("aria-label") &&
      !control.getAttribute("aria-labelledby") &&
      !control.getAttribute("title") &&
      control.labels.length === 0
    );
  }

  function nameControls() {
    document.querySelectorAll("#swagger-ui select, #swagger-ui input, #swagger-ui textarea")
      .forEach(function (control) {
        if (!unnamed(control)) {
          return;
        }
        var row = control.closest("tr[data-param-name]");
        if (row) {
          control.setAttribute("aria-label", row.getAttribute("data-param-name"));
        }
      });
    document.querySelectorAll("#swagger-ui tr.property-row button.model-box-control")
      .forEach(function (button) {
        if (button.textContent.trim() || button.getAttribute("aria-label")) {
          return;
        }
        var property = button.closest("tr.property-row").querySelector("td");
        button.setAttribute("aria-label", property.textContent.replace("*", "").trim());
      });
    document.querySelectorAll("#swagger-ui .highlight-code pre:not([tabindex])")
      .forEach(function (block) {
        block.setAttribute("tabindex", "0");
      });
  }

  new MutationObserver(nameControls).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
