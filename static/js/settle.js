/* The settle page: choosing an answer template fills the justification at once (its text is
 * in the option's data-text). Without JavaScript the "Apply the template" button sends the
 * form and the page comes back with the text filled in; either way nothing is saved until
 * the coordinator settles, and the text stays editable. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-answer-template")) {
      return;
    }
    var option = select.options[select.selectedIndex];
    var field = select.form && select.form.elements.namedItem("justification");
    if (option && option.dataset.text && field) {
      field.value = option.dataset.text;
      field.focus();
    }
  });
})();
