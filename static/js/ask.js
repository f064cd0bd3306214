// Ask form: similar answered questions as the title is typed, clickable tag suggestions
// and character counts. The form works the same without this file.
(function () {
  "use strict";
  // Translated by the djangojs catalogue (forum/urls.py's jsi18n, loaded before this file);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };

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
    heading.textContent = interpolate(ngettext(
      "%(count)s answered question looks similar (opens in a new tab):",
      "%(count)s answered questions look similar (open in a new tab):",
      results.length
    ), { count: results.length }, true);
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
      button.setAttribute("aria-label", interpolate(gettext("Add tag %(name)s"), { name: name }, true));
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

  // --- Emergency notice before Send ---------------------------------------------------
  // As the title or text is typed (debounced), POST them to the screening endpoint
  // (questions:screen-text, CSRF token from this form, rate-limited on the server) and
  // show what it says to do for each red flag. The rules stay on the server, as data
  // files with one matcher, so the page and the "Are you safe right now?" step never
  // disagree; without this script the server step still stops the first Send.
  var screenUrl = form.getAttribute("data-screen-url");
  var live = document.getElementById("live-emergency");
  var bodyField = document.getElementById("id_body");
  var tokenField = form.querySelector("input[name=csrfmiddlewaretoken]");
  var screenTimer = null;
  var screenController = null;
  var lastScreened = null;

  function showNotices(notices) {
    while (live.firstChild) live.removeChild(live.firstChild);
    if (!notices.length) return;
    // The server's notice for what was last sent is replaced by this one.
    var old = document.querySelector(".emergency:not(.safety-check)");
    if (old && !live.contains(old)) old.parentNode.removeChild(old);
    var section = document.createElement("section");
    section.className = "emergency";
    section.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = gettext("If this is an emergency, do not wait for an answer here");
    section.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "emergency-steps";
    notices.forEach(function (notice) {
      var li = document.createElement("li");
      li.setAttribute("data-category", notice.category);
      var label = document.createElement("strong");
      label.textContent = notice.label + ".";
      li.appendChild(label);
      li.appendChild(document.createTextNode(" " + notice.text));
      notice.numbers.forEach(function (n) {
        var span = document.createElement("span");
        span.className = "emergency-number";
        span.appendChild(document.createTextNode(" " + n.name + ": "));
        var link = document.createElement("a");
        link.href = "tel:" + n.number;
        link.textContent = n.number;
        span.appendChild(link);
        li.appendChild(span);
      });
      list.appendChild(li);
    });
    section.appendChild(list);
    var after = document.createElement("p");
    after.textContent = gettext("You can still send your question: moderators and doctors will see that it is urgent.");
    section.appendChild(after);
    live.appendChild(section);
  }

  function screenNow() {
    var text = (title ? title.value : "") + "\n" + bodyField.value;
    if (text === lastScreened) return;
    lastScreened = text;
    if (screenController) screenController.abort();
    screenController = typeof AbortController === "function" ? new AbortController() : null;
    var data = new FormData();
    data.append("title", title ? title.value : "");
    data.append("body", bodyField.value);
    fetch(screenUrl, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": tokenField.value },
      credentials: "same-origin",
      signal: screenController ? screenController.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) { if (result) showNotices(result.notices || []); })
      .catch(function () { /* aborted or offline: the server step still applies */ });
  }

  if (screenUrl && live && bodyField && tokenField && window.fetch && window.FormData) {
    [title, bodyField].forEach(function (field) {
      if (!field) return;
      field.addEventListener("input", function () {
        clearTimeout(screenTimer);
        screenTimer = setTimeout(screenNow, 700);
      });
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
