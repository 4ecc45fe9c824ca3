// The badge list's print button (inline handlers are refused by the Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
