// Rank lists (a student's list, a couple's pairs, a program's applicants): drag a row of the
// table to move it. The rank numbers in the table are rewritten 1, 2, 3... and the form is sent
// with htmx, which replaces the list with the saved one (its "un-certified" notice included).
// Without JavaScript the same form works with typed numbers and the Up/Down buttons.
(function () {
  "use strict";

  var dragged = null;

  function rowOf(event) {
    return event.target && event.target.closest ? event.target.closest("tr[data-key]") : null;
  }

  function save(row) {
    var form = row.closest("form");
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-key]"));
    rows.forEach(function (tr, index) {
      var input = tr.querySelector("input.rank-input");
      if (input) input.value = String(index + 1);
    });
    var status = form.querySelector("[data-drag-status]");
    if (status) status.textContent = "Moved to number " + (rows.indexOf(row) + 1) + "; saving.";
    if (window.htmx && form.dataset.rankList) {
      // The page's earlier messages ("certified") would contradict the saved list's own.
      var old = document.querySelector("main > div[role=status]");
      if (old) old.remove();
      window.htmx.ajax("POST", form.action, { source: form, target: form.dataset.rankList, swap: "outerHTML" });
    } else {
      form.submit();
    }
  }

  document.addEventListener("dragstart", function (event) {
    var row = rowOf(event);
    if (!row) return;
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.key);
  });
  document.addEventListener("dragover", function (event) {
    var row = rowOf(event);
    if (row && dragged && row.parentNode === dragged.parentNode) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var row = rowOf(event);
    if (!row || !dragged || row === dragged || row.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var rows = Array.prototype.slice.call(row.parentNode.children);
    var after = rows.indexOf(dragged) < rows.indexOf(row);
    row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    save(dragged);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
})();
