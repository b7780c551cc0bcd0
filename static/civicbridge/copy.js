/* Civic Bridge: a "Copy" button for a read-only text box, as a progressive enhancement.
   Without JavaScript the button stays hidden and the text box is still there to select and
   copy by hand. A button names its text box with data-copy-target="<id>" and its status line
   with data-copy-status="<id>" (a polite live region). */
(function () {
  "use strict";

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Older browsers, and pages served over plain HTTP: select the text and copy it.
    input.focus();
    input.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function enhance(button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          status.textContent = button.getAttribute("data-copied");
        },
        function () {
          input.focus();
          input.select();
          status.textContent = button.getAttribute("data-not-copied");
        }
      );
    });
  }

  document.querySelectorAll("[data-copy-target]").forEach(enhance);
})();
