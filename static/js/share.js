// Q&A page share links: "Copy link" copies the page address instead of opening it.
// Every other share link is a plain link and works without this script. What it says
// comes translated from the page (data-copied, data-copy-failed on the status line).
(function () {
  "use strict";
  var status = document.querySelector("[data-share-status]");
  var messages = status ? status.dataset : {};

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  document.querySelectorAll("[data-share-copy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard || !window.isSecureContext) {
        return; // No clipboard access: following the link still shows the address.
      }
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(
        function () { say(messages.copied || "Link copied."); },
        function () { say(messages.copyFailed || "Could not copy. The address is " + link.href); }
      );
    });
  });
})();
