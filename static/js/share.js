// Q&A page share links: "Copy link" copies the page address instead of opening it.
// Every other share link is a plain link and works without this script.
(function () {
  "use strict";
  // Translated by the djangojs catalogue (forum/urls.py's jsi18n, loaded before this file);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };
  var status = document.querySelector("[data-share-status]");

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
        function () { say(gettext("Link copied.")); },
        function () { say(interpolate(gettext("Could not copy. The address is %(url)s"), { url: link.href }, true)); }
      );
    });
  });
})();
