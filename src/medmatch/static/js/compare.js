// Shortlist compare: a grouped bar chart of criterion scores (Chart.js), one bar per program.
// An unknown score arrives as null: no bar is drawn, and a hatched band across the whole 0-100
// range marks it, so it is never read as 0. The table below the chart holds the same numbers.
(function () {
  "use strict";
  var COLOURS = ["#0b5cab", "#b54708", "#1e6b34", "#6a3d9a"];

  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8; tile.height = 8;
    var ctx = tile.getContext("2d");
    ctx.strokeStyle = colour; ctx.globalAlpha = 0.45; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(0, 8); ctx.lineTo(8, 0); ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
    ctx.moveTo(6, 10); ctx.lineTo(10, 6); ctx.stroke();
    return tile;
  }

  var unknownBands = {
    id: "unknownBands",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x;
      var left = x.getPixelForValue(0), right = x.getPixelForValue(100);
      chart.data.datasets.forEach(function (dataset, d) {
        var meta = chart.getDatasetMeta(d);
        if (meta.hidden) { return; }
        dataset.data.forEach(function (value, i) {
          var bar = meta.data[i];
          if (value !== null || !bar || !isFinite(bar.y) || !isFinite(bar.height)) { return; }
          ctx.save();
          ctx.fillStyle = ctx.createPattern(hatch(COLOURS[d % COLOURS.length]), "repeat");
          ctx.fillRect(left, bar.y - bar.height / 2, right - left, bar.height);
          ctx.strokeStyle = COLOURS[d % COLOURS.length];
          ctx.setLineDash([3, 3]);
          ctx.strokeRect(left, bar.y - bar.height / 2, right - left, bar.height);
          ctx.restore();
        });
      });
    }
  };

  function draw() {
    var source = document.getElementById("fit-chart-data");
    var canvas = document.getElementById("fit-chart");
    if (!source || !canvas || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var wrap = document.getElementById("fit-chart-wrap");
    // Horizontal bars: criterion names stay readable on a phone; height grows with the rows.
    var rows = data.labels.length, groups = Math.max(data.datasets.length, 1);
    wrap.style.height = Math.max(220, rows * (groups * 12 + 18) + 90) + "px";
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, d) {
          return {
            label: set.label, title: set.title, data: set.data,
            backgroundColor: COLOURS[d % COLOURS.length], borderWidth: 0, skipNull: false,
            // A known 0 still shows as a sliver, unlike an unknown (a hatched band, no bar).
            minBarLength: 3
          };
        })
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: "Score (0–100)" } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var set = data.datasets[item.datasetIndex];
                return set.title + ": " + (item.raw === null ? "unknown" : Math.round(item.raw));
              }
            }
          }
        }
      },
      plugins: [unknownBands]
    });
    canvas.setAttribute("data-rendered", "true");
    return chart;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
