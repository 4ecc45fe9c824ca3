// Draws one chart per dimension of the structure statistics page. The figures come from the
// page's json_script element (the CSP forbids inline scripts); the tables under each chart
// carry the same numbers for screen readers and printing.
(function () {
  "use strict";
  var source = document.getElementById("structure-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#b71c1c", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00",
    "#00838f", "#5d4037", "#c2185b", "#546e7a"];
  // Few categories read best as a doughnut; the others as horizontal bars, whose labels stay
  // legible on a 360 px phone.
  var doughnuts = { sex: true, status: true };
  var barHeight = 22;
  var lineLength = 18;

  // Long category names ("Doanh nghiệp ngoài nhà nước") are cut by the axis on a phone:
  // break them into lines at spaces instead (Chart.js draws an array as several lines).
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

  document.querySelectorAll("canvas[data-dimension]").forEach(function (canvas) {
    var dimension = data[canvas.dataset.dimension];
    if (!dimension || dimension.labels.length === 0) {
      canvas.parentElement.hidden = true;
      return;
    }
    var doughnut = doughnuts[canvas.dataset.dimension] === true;
    var labels = doughnut ? dimension.labels : dimension.labels.map(wrap);
    var lineCount = labels.reduce(function (sum, label) {
      return sum + (Array.isArray(label) ? label.length : 1);
    }, 0);
    var box = canvas.parentElement;
    box.style.position = "relative";
    box.style.height = (doughnut
      ? 180 + 22 * Math.ceil(labels.length / 2)
      : Math.max(120, lineCount * barHeight + 8 * labels.length + 30)) + "px";
    var colours = dimension.labels.map(function (_label, index) {
      return palette[index % palette.length];
    });
    new Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: {
        labels: labels,
        datasets: [{
          data: dimension.counts,
          backgroundColor: doughnut ? colours : palette[0],
          borderWidth: doughnut ? 1 : 0
        }]
      },
      options: {
        indexAxis: doughnut ? undefined : "y",
        locale: document.documentElement.lang || "vi",
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: doughnut, position: "bottom" }
        },
        scales: doughnut ? {} : {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false } }
        }
      }
    });
  });
})();
