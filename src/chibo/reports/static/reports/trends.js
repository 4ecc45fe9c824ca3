// Draws the charts of the trends page. The figures come from the page's json_script element
// (the CSP forbids inline scripts); the table under each chart carries the same numbers for
// screen readers, printing and export.
(function () {
  "use strict";
  var source = document.getElementById("trends-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#b71c1c", "#1565c0", "#f9a825", "#2e7d32", "#6a1b9a", "#ef6c00", "#546e7a"];
  // Ratings keep their colour on every chart: good green … poor red, not rated grey.
  var ratingColours = {
    good: "#2e7d32", fair: "#1565c0", average: "#f9a825", poor: "#b71c1c", none: "#9e9e9e"
  };
  var locale = document.documentElement.lang || "vi";
  var lineLength = 18;

  // Long stage names are cut by the axis on a phone: break them into lines at spaces
  // (Chart.js draws an array as several lines).
  function wrap(label) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > lineLength) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines;
  }

  function height(spec) {
    if (spec.type === "doughnut") {
      return 180 + 22 * Math.ceil(spec.labels.length / 2);
    }
    if (spec.horizontal) {
      var lines = spec.labels.reduce(function (sum, label) {
        return sum + wrap(label).length;
      }, 0);
      return Math.max(140, lines * 18 + spec.labels.length * 10 + 40);
    }
    return 220;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.dataset.chart];
    if (!spec) {
      canvas.parentElement.hidden = true;
      return;
    }
    var box = canvas.parentElement;
    box.style.position = "relative";
    box.style.height = height(spec) + "px";
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = ratingColours[dataset.rating] || palette[index % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: doughnut
          ? spec.labels.map(function (_label, i) { return palette[i % palette.length]; })
          : colour,
        borderColor: colour,
        borderWidth: doughnut ? 1 : (spec.type === "line" ? 2 : 0),
        spanGaps: false,
        pointRadius: 3,
        tension: 0.2
      };
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: spec.stacked === true,
      ticks: { precision: 0 }
    };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks = { callback: function (value) { return value + "%"; } };
    }
    var categoryAxis = {
      stacked: spec.stacked === true,
      ticks: spec.horizontal ? { autoSkip: false } : { maxRotation: 60, autoSkip: true }
    };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.horizontal ? spec.labels.map(wrap) : spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        locale: locale,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {
            display: doughnut || datasets.length > 1,
            position: "bottom",
            labels: { boxWidth: 12 }
          },
          tooltip: spec.percent ? {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + context.formattedValue + "%";
              }
            }
          } : {}
        },
        scales: doughnut ? {} : (spec.horizontal
          ? { x: valueAxis, y: categoryAxis }
          : { x: categoryAxis, y: valueAxis })
      }
    });
  });
})();
