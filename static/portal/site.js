// Light progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen-reader and keyboard users start from the problem.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    // The print button of the ticket page needs scripting; without it the browser's own print command works.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // A confirmation step guards against a double submit: disable the button once the form is sent.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); b.disabled = true; });
      });
    });
  });
})();
