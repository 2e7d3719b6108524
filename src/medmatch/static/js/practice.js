// Interview practice: the answer timer (start/stop, mm:ss, fills in the seconds field), the
// progress chart (Chart.js, from json_script data; the table below it holds the same numbers),
// and the thank-you note's copy button. Without JavaScript the timer stays hidden and the student
// types the time taken; the table and the plain textarea still work.
(function () {
  "use strict";

  function mmss(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function timer() {
    var box = document.getElementById("practice-timer");
    if (!box) { return; }
    var display = document.getElementById("timer-display");
    var status = document.getElementById("timer-status");
    var start = document.getElementById("timer-start");
    var stop = document.getElementById("timer-stop");
    var seconds = document.getElementById("id_seconds_taken");
    var limit = document.getElementById("id_time_limit_seconds");
    var startedAt = null, tick = null;
    box.hidden = false;

    function elapsed() { return Math.max(0, Math.round((Date.now() - startedAt) / 1000)); }
    function show() {
      var value = elapsed();
      display.textContent = mmss(value);
      box.classList.toggle("over", limit && value > Number(limit.value));
    }
    start.addEventListener("click", function () {
      startedAt = Date.now();
      show();
      tick = window.setInterval(show, 250);
      start.disabled = true; stop.disabled = false; stop.focus();
      status.textContent = "Timer running. Answer aloud, then press Stop.";
    });
    stop.addEventListener("click", function () {
      window.clearInterval(tick);
      var value = Math.max(1, elapsed());
      display.textContent = mmss(value);
      seconds.value = value;
      start.disabled = false; stop.disabled = true;
      start.textContent = "Start again";
      status.textContent = "Stopped at " + mmss(value) + ". The time is filled in below; save to get feedback.";
    });
  }

  function chart() {
    var source = document.getElementById("progress-chart-data");
    var canvas = document.getElementById("progress-chart");
    if (!source || !canvas || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          // null = unknown: Chart.js leaves a gap (spanGaps false) instead of drawing a zero.
          { label: "Mean self-rating (1–5)", data: data.self_rating, yAxisID: "rating",
            borderColor: "#0b5cab", backgroundColor: "#0b5cab", spanGaps: false, pointRadius: 4,
            clip: false },
          { label: "Checker score (0–100)", data: data.score, yAxisID: "score",
            borderColor: "#b54708", backgroundColor: "#b54708", borderDash: [6, 4],
            spanGaps: false, pointRadius: 4, pointStyle: "rectRot", clip: false }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          rating: { type: "linear", position: "left", min: 1, max: 5, ticks: { stepSize: 1 },
            title: { display: true, text: "Self-rating" } },
          score: { type: "linear", position: "right", min: 0, max: 100,
            grid: { drawOnChartArea: false }, title: { display: true, text: "Checker score" } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "unknown" : item.raw);
              }
            }
          }
        }
      }
    });
  }

  function copyButton() {
    var button = document.getElementById("copy-note");
    if (!button || !navigator.clipboard) { return; }
    var status = document.getElementById("copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copyTarget).value;
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = "Copied. Paste it into your email.";
      }, function () {
        status.textContent = "Could not copy; select the text and copy it yourself.";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { timer(); chart(); copyButton(); });
}());
