// The statement editor: htmx posts the text for feedback after a pause in typing (see the
// textarea's hx-* attributes). This script only guards size: above data-max-length it stops the
// request (or the Save) before anything is sent and says so; the text stays in the box.
(function () {
  "use strict";

  var body = document.getElementById("id_body");
  if (!body) return;
  var limit = parseInt(body.dataset.maxLength, 10) || 0;
  var status = document.getElementById("statement-status");

  function tooLong() {
    return limit && body.value.length > limit;
  }

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("warn", Boolean(isError));
  }

  function message() {
    return (
      "body: at most " + limit.toLocaleString("en") + " characters (this has " +
      body.value.length.toLocaleString("en") + "). Nothing was sent; shorten the text."
    );
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== body) return;
    if (tooLong()) {
      event.preventDefault();
      say(message(), true);
    } else {
      say("Checking…", false);
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== body) return;
    say(event.detail.successful ? "Feedback updated." : "Could not get feedback; your text is kept. Try Analyze.", !event.detail.successful);
  });

  body.form.addEventListener("submit", function (event) {
    if (tooLong()) {
      event.preventDefault();
      say(message(), true);
      body.focus();
    }
  });
})();
