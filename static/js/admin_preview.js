// Live Markdown preview in the article and FAQ admin forms.
// Each <textarea data-markdown-preview="URL"> gets a preview below it. After the
// editor pauses typing, the text is POSTed (with the form's CSRF token) to that
// admin-only URL, which returns the HTML rendered and sanitized by the same
// renderer the public pages use, so the preview is exactly what readers get.
(function () {
  "use strict";
  // Translated by the djangojs catalogue (forum/urls.py's jsi18n, loaded before this file);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };

  var DELAY_MS = 400;

  function setUp(textarea) {
    var url = textarea.getAttribute("data-markdown-preview");
    var token = textarea.form && textarea.form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !token) {
      return;
    }

    var region = document.createElement("section");
    region.className = "markdown-preview";
    region.setAttribute("aria-label", gettext("Preview"));
    var label = document.createElement("p");
    label.className = "markdown-preview-label";
    label.textContent = gettext("Preview, as readers will see it");
    var output = document.createElement("div");
    output.className = "markdown-preview-body";
    region.appendChild(label);
    region.appendChild(output);
    var anchor = textarea.closest(".flex-container") || textarea;
    anchor.insertAdjacentElement("afterend", region);

    var timer = null;
    var controller = null;
    var lastSent = null;

    function render() {
      var text = textarea.value;
      if (text === lastSent) {
        return;
      }
      lastSent = text;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var body = new FormData();
      body.append("text", text);
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          // Sanitized on the server by forum/markdown.py's allow-list.
          output.innerHTML = data.html;
          region.classList.remove("is-error");
        })
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          lastSent = null;
          region.classList.add("is-error");
          output.textContent = error.message === "HTTP 400"
            ? gettext("The text is too long to preview.")
            : gettext("The preview could not be loaded.");
        });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DELAY_MS);
    });
    render();
  }

  function init() {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
