// Ask form: similar answered questions as the title is typed, clickable tag suggestions
// and character counts. The form works the same without this file.
(function () {
  "use strict";

  var form = document.getElementById("ask-form");
  if (!form) return;

  // --- Similar answered questions ------------------------------------------------
  var title = document.getElementById("id_title");
  var region = document.getElementById("similar-titles");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var controller = null;
  var lastQuery = "";

  function clear() {
    while (region.firstChild) region.removeChild(region.firstChild);
  }

  function show(results) {
    clear();
    if (!results.length) return;
    var heading = document.createElement("p");
    heading.className = "similar-titles-heading";
    heading.textContent = results.length === 1
      ? "1 answered question looks similar (opens in a new tab):"
      : results.length + " answered questions look similar (open in a new tab):";
    var list = document.createElement("ul");
    results.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = item.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " \u00b7 " + item.specialty;
      li.appendChild(link);
      li.appendChild(meta);
      list.appendChild(li);
    });
    region.appendChild(heading);
    region.appendChild(list);
  }

  function lookUp() {
    var query = title.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (controller) controller.abort();
    if (query.length < 4) { clear(); return; }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { show(data.results || []); })
      .catch(function () { /* aborted or offline: keep the form usable */ });
  }

  if (title && region && url && window.fetch) {
    title.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 400);
    });
    if (title.value.trim()) lookUp();
  }

  // --- Tag suggestions become buttons that add the tag ----------------------------
  var tagsInput = document.getElementById("id_tags");
  function currentTags() {
    return tagsInput.value.split(",").map(function (t) { return t.trim().toLowerCase(); })
      .filter(Boolean);
  }
  if (tagsInput) {
    Array.prototype.forEach.call(document.querySelectorAll(".popular-tag"), function (span) {
      var name = span.getAttribute("data-tag");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tag-button";
      button.textContent = name;
      button.setAttribute("aria-label", "Add tag " + name);
      button.addEventListener("click", function () {
        var tags = currentTags();
        if (tags.indexOf(name) === -1) {
          tags.push(name);
          tagsInput.value = tags.join(", ");
        }
        tagsInput.focus();
      });
      span.parentNode.replaceChild(button, span);
    });
  }

  // --- Character counts --------------------------------------------------------------
  ["id_title", "id_body"].forEach(function (id) {
    var field = document.getElementById(id);
    if (!field) return;
    var max = field.getAttribute("maxlength");
    var counter = document.createElement("span");
    counter.className = "char-count";
    counter.setAttribute("aria-hidden", "true");
    field.insertAdjacentElement("afterend", counter);
    function update() { counter.textContent = field.value.length + " / " + max; }
    field.addEventListener("input", update);
    update();
  });
})();
