// A long list of checkboxes (the doctor application's specialties) made searchable: a
// filter box that hides the ones not matching what is typed, in either language (each
// row carries its English and Chinese names in data-choice-names), a count of matches
// for screen readers (a status region), and the chosen ones as buttons that un-check
// them. Without this file the fieldset of checkboxes works as it is; the filter and the
// chosen list stay hidden.
(function () {
  "use strict";
  // Translated by the djangojs catalogue (forum/urls.py's jsi18n, loaded before this file);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };

  // Case, width (full-width Latin letters) and spaces do not matter: "ENT", "ent" and
  // "ｅｎｔ" find Otolaryngology (ENT); "神經" finds 神經內科.
  function normalise(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLocaleLowerCase().replace(/\s+/g, "");
  }

  function setUp(picker) {
    var filterBox = picker.querySelector("[data-choice-filter]");
    var input = filterBox.querySelector("input");
    var status = picker.querySelector("[data-choice-status]");
    var chosen = picker.querySelector("[data-choice-chosen]");
    var chosenList = picker.querySelector("[data-choice-chosen-list]");
    var rows = Array.prototype.slice.call(picker.querySelectorAll("[data-choice]"));
    var items = rows.map(function (row) {
      var checkbox = row.querySelector("input[type=checkbox]");
      var label = row.querySelector("label");
      return {
        row: row,
        checkbox: checkbox,
        name: label.textContent.trim(),
        haystack: normalise(label.textContent + " " + (row.getAttribute("data-choice-names") || "")),
      };
    });

    function filter() {
      var query = normalise(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var match = !query || item.haystack.indexOf(query) !== -1;
        item.row.hidden = !match;
        if (match) shown += 1;
      });
      if (!query) {
        status.textContent = interpolate(ngettext(
          "%(total)s specialty.", "All %(total)s specialties.", items.length
        ), { total: items.length }, true);
      } else if (!shown) {
        status.textContent = interpolate(gettext("No specialty matches “%(query)s”."),
          { query: input.value.trim() }, true);
      } else {
        status.textContent = interpolate(ngettext(
          "%(count)s specialty matches.", "%(count)s specialties match.", shown
        ), { count: shown }, true);
      }
    }

    function showChosen() {
      while (chosenList.firstChild) chosenList.removeChild(chosenList.firstChild);
      var any = false;
      items.forEach(function (item) {
        if (!item.checkbox.checked) return;
        any = true;
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip";
        var hiddenWords = document.createElement("span");
        hiddenWords.className = "visually-hidden";
        hiddenWords.textContent = gettext("Remove:") + " ";
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = " \u00d7";
        button.appendChild(hiddenWords);
        button.appendChild(document.createTextNode(item.name));
        button.appendChild(cross);
        button.addEventListener("click", function () {
          item.checkbox.checked = false;
          showChosen();
          input.focus();
        });
        li.appendChild(button);
        chosenList.appendChild(li);
      });
      if (!any) {
        var none = document.createElement("li");
        none.className = "chip-none";
        none.textContent = gettext("none yet");
        chosenList.appendChild(none);
      }
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter box is not "send the application".
      if (event.key === "Enter") event.preventDefault();
    });
    items.forEach(function (item) {
      item.checkbox.addEventListener("change", showChosen);
    });
    filterBox.hidden = false;
    chosen.hidden = false;
    filter();
    showChosen();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-choice-picker]"), setUp);
})();
