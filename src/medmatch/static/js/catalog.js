// Program search: remember the programs ticked for comparison while the results change
// (new searches, other pages), so "Compare ticked programs" sends all of them (up to 4).
(function () {
  "use strict";
  var KEY = "medmatch.compare";
  var MAX = 4;

  function picked() {
    try { return JSON.parse(sessionStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(ids) { sessionStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX))); }

  function sync() {
    var ids = picked();
    var form = document.getElementById("compare-form");
    if (!form) { return; }
    document.querySelectorAll('input[form="compare-form"][name="p"]').forEach(function (box) {
      box.checked = ids.indexOf(box.value) !== -1;
    });
    // Programs ticked on other pages travel as hidden fields.
    form.querySelectorAll("input[data-remembered]").forEach(function (el) { el.remove(); });
    ids.forEach(function (id) {
      if (!document.querySelector('input[form="compare-form"][name="p"][value="' + id + '"]')) {
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = "p"; hidden.value = id;
        hidden.setAttribute("data-remembered", "");
        form.appendChild(hidden);
      }
    });
    var count = document.getElementById("compare-count");
    if (count) { count.textContent = ids.length ? ids.length + " of " + MAX + " ticked" : "up to " + MAX; }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[form="compare-form"][name="p"]')) { return; }
    var ids = picked().filter(function (id) { return id !== box.value; });
    if (box.checked) {
      if (ids.length >= MAX) {
        box.checked = false;
        var count = document.getElementById("compare-count");
        if (count) { count.textContent = "You can compare up to " + MAX + " programs."; }
        return;
      }
      ids.push(box.value);
    }
    save(ids);
    sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", sync);
})();
