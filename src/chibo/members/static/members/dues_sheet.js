// The dues collection sheet: typing an amount ticks its row, and the submit bar counts the
// ticked rows and their total before the secretary submits. The page works without it.
(function () {
  var sheet = document.getElementById("dues-sheet");
  var summary = document.getElementById("sheet-ticked");
  if (!sheet) { return; }
  function refresh() {
    var count = 0, total = 0;
    sheet.querySelectorAll(".sheet-row").forEach(function (row) {
      var take = row.querySelector(".sheet-take");
      var amount = row.querySelector(".sheet-amount");
      if (take && take.checked && amount) {
        count += 1;
        total += parseInt(amount.value, 10) || 0;
      }
    });
    if (summary) {
      summary.textContent = summary.dataset.template
        .replace("{count}", count)
        .replace("{total}", total.toLocaleString("vi-VN"));
    }
  }
  sheet.addEventListener("input", function (event) {
    if (event.target.classList.contains("sheet-amount")) {
      var take = event.target.closest(".sheet-row").querySelector(".sheet-take");
      if (take) { take.checked = event.target.value !== ""; }
    }
    refresh();
  });
  sheet.addEventListener("change", function (event) {
    if (event.target.id === "sheet-take-all") {
      sheet.querySelectorAll(".sheet-take").forEach(function (take) {
        take.checked = event.target.checked;
      });
    }
    refresh();
  });
  refresh();
})();
