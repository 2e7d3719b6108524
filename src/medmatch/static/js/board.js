// The application board and pages: drag a card to another column (HTML5 drag and drop), which
// posts the new status like the card's own status menu does; the server's card replaces the old
// one. Without JavaScript, or from the keyboard, the status menu and its Move button do the same.
// A move the server wants confirmed (a 409: submitting with the checklist unfinished) puts the
// card back and shows the server's warning, with its "move anyway" form, above the board.
// Also shows htmx error responses (a 400 or 413 message) in the page's live region, so a failed
// save says why and the form keeps what was typed.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text, isError) {
    var region = document.getElementById("board-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "board-status";
      region.className = "board-status";
      region.setAttribute("role", "status");
      var main = document.getElementById("main");
      main.insertBefore(region, main.firstChild);
    }
    region.setAttribute("role", isError ? "alert" : "status");
    region.textContent = text;
    region.classList.toggle("error", Boolean(isError));
  }

  function showConfirmation(html) {
    announce("", true);
    var region = document.getElementById("board-status");
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    region.replaceChildren(template.content);
    var link = region.querySelector("a");
    if (link) link.focus();
  }

  function updateCounts() {
    document.querySelectorAll(".board-column").forEach(function (column) {
      var count = column.querySelector(".board-column-title .count");
      if (count) count.textContent = column.querySelectorAll(".card").length;
    });
  }

  function moveCard(card, list) {
    var status = list.dataset.status;
    if (!status || card.dataset.status === status) return;
    var origin = card.parentElement;
    var next = card.nextElementSibling;
    list.appendChild(card); // move at once; put it back if the server says no
    card.classList.add("is-saving");
    updateCounts();
    var body = new URLSearchParams({ status: status });
    fetch(card.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.status === 409) {
            var error = new Error("");
            error.confirmHtml = text;
            throw error;
          }
          if (!response.ok) throw new Error(text || "The move was not saved.");
          return text;
        });
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.firstElementChild;
        card.replaceWith(fresh);
        var column = list.closest(".board-column").querySelector(".board-column-title");
        announce("Moved “" + fresh.dataset.title + "” to " + column.firstChild.textContent.trim() + ".");
      })
      .catch(function (error) {
        origin.insertBefore(card, next);
        card.classList.remove("is-saving");
        updateCounts();
        if (error.confirmHtml) showConfirmation(error.confirmHtml);
        else announce(error.message, true);
      });
  }

  function setUpBoard(board) {
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".card");
      if (!card) return;
      dragged = card;
      card.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    board.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("is-dragging");
      dragged = null;
      board.querySelectorAll(".is-drop-target").forEach(function (el) {
        el.classList.remove("is-drop-target");
      });
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target.closest && event.target.closest(".board-column");
      if (!dragged || !column) return;
      event.preventDefault(); // allows the drop
      event.dataTransfer.dropEffect = "move";
      board.querySelectorAll(".is-drop-target").forEach(function (el) {
        if (el !== column) el.classList.remove("is-drop-target");
      });
      column.classList.add("is-drop-target");
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest && event.target.closest(".board-column");
      if (!dragged || !column) return;
      event.preventDefault();
      column.classList.remove("is-drop-target");
      moveCard(dragged, column.querySelector(".board-cards"));
    });
  }

  var board = document.querySelector(".board");
  if (board) setUpBoard(board);

  // A text longer than its field allows is stopped here, before a huge body is sent (the server
  // would refuse it too); the text stays in the field to be shortened.
  document.addEventListener(
    "submit",
    function (event) {
      var fields = event.target.querySelectorAll("textarea[data-max-length]");
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        var limit = Number(field.dataset.maxLength);
        var length = field.value.trim().length;
        if (length > limit) {
          event.preventDefault();
          event.stopImmediatePropagation();
          announce(
            field.name.replace(/^.*-/, "") + ": at most " + limit.toLocaleString("en") +
              " characters (this has " + length.toLocaleString("en") + "). Nothing was sent.",
            true
          );
          field.focus();
          return;
        }
      }
    },
    true
  );

  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var type = xhr.getResponseHeader("Content-Type") || "";
    announce(type.indexOf("text/plain") === 0 ? xhr.responseText : "Not saved (error " + xhr.status + "). Please try again.", true);
  });
})();
