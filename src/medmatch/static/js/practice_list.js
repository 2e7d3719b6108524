// The practice list builder: above the table of rank numbers, "Your list so far" shows the
// ranked programs in order, each with Up, Down and Remove buttons, and can be reordered by drag
// and drop. Every change rewrites the rank numbers in the table (1, 2, 3...), which stay what the
// form sends; without JavaScript the table alone does the same.
(function () {
  "use strict";

  var table = document.querySelector("table.practice-list");
  var panel = document.getElementById("list-so-far");
  if (!table || !panel) return;
  var items = panel.querySelector("ol");
  var empty = panel.querySelector(".hint");
  var status = panel.querySelector("[role=status]");
  var inputs = Array.prototype.slice.call(table.querySelectorAll("input.rank-input"));
  var dragged = null;

  function nameOf(input) {
    var label = table.querySelector("label[for='" + input.id + "']");
    return label ? label.textContent.trim() : input.name;
  }

  function ranked() {
    // Inputs with a number, in rank order (ties keep the table's order); others are not ranked.
    return inputs
      .filter(function (input) { return /^[0-9]+$/.test(input.value.trim()); })
      .map(function (input, index) { return { input: input, rank: Number(input.value), index: index }; })
      .sort(function (a, b) { return a.rank - b.rank || a.index - b.index; })
      .map(function (entry) { return entry.input; });
  }

  function renumber(order, message) {
    inputs.forEach(function (input) { if (order.indexOf(input) < 0) input.value = ""; });
    order.forEach(function (input, index) { input.value = String(index + 1); });
    render();
    if (message) status.textContent = message;
  }

  function button(text, label, disabled, handler) {
    var element = document.createElement("button");
    element.disabled = disabled;
    element.type = "button";
    element.className = "secondary";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.addEventListener("click", handler);
    return element;
  }

  function render() {
    var order = ranked();
    items.replaceChildren();
    empty.hidden = order.length > 0;
    order.forEach(function (input, index) {
      var name = nameOf(input);
      var item = document.createElement("li");
      item.draggable = true;
      item.dataset.index = String(index);
      var text = document.createElement("span");
      text.textContent = index + 1 + ". " + name;
      item.appendChild(text);
      var tools = document.createElement("span");
      tools.className = "list-so-far-tools";
      tools.appendChild(button("Up", "Move " + name + " up", index === 0, function () {
        order.splice(index - 1, 0, order.splice(index, 1)[0]);
        renumber(order, name + " is now number " + index + ".");
      }));
      tools.appendChild(button("Down", "Move " + name + " down", index === order.length - 1, function () {
        order.splice(index + 1, 0, order.splice(index, 1)[0]);
        renumber(order, name + " is now number " + (index + 2) + ".");
      }));
      tools.appendChild(button("Remove", "Remove " + name + " from your list", false, function () {
        order.splice(index, 1);
        renumber(order, name + " is off your list.");
      }));
      item.appendChild(tools);
      item.addEventListener("dragstart", function () { dragged = index; });
      item.addEventListener("dragover", function (event) { event.preventDefault(); });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        if (dragged === null || dragged === index) return;
        order.splice(index, 0, order.splice(dragged, 1)[0]);
        dragged = null;
        renumber(order, name + " moved.");
      });
      items.appendChild(item);
    });
  }

  inputs.forEach(function (input) { input.addEventListener("input", render); });
  panel.hidden = false;
  render();
})();
