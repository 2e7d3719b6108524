// The site menu: when the header's navigation would wrap to more than one row (a phone, or a
// narrow window), it folds behind a "Menu" button, so the header stays one row. Without this
// script the button stays hidden and the whole navigation shows, wrapped as needed.
(function () {
  "use strict";

  var nav = document.querySelector(".site-nav");
  var button = nav && nav.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  var brand = nav.querySelector(".brand");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  // Lay the navigation out unfolded and see whether any item starts below the first one's row
  // (or below the brand's, when the whole menu moved under it).
  function fold() {
    nav.classList.remove("folded");
    var items = menu.querySelectorAll("li");
    if (!items.length) return;
    var row = Math.min(
      items[0].getBoundingClientRect().bottom,
      brand.getBoundingClientRect().bottom
    );
    var wraps = Array.prototype.some.call(items, function (item) {
      return item.getBoundingClientRect().top >= row;
    });
    nav.classList.toggle("folded", wraps);
  }

  button.hidden = false;
  setOpen(false);
  fold();
  window.addEventListener("resize", fold);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and gives the focus back to its button.
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
