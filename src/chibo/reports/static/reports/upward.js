// The report request form: show the month picker for a monthly report and the quarter picker
// for a quarterly one; a yearly report needs neither. Without JavaScript both stay visible and
// the server reads only the one the kind needs.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var month = document.getElementById("id_month");
  var quarter = document.getElementById("id_quarter");
  function wrapper(field) {
    return field ? field.closest(".col-12") : null;
  }
  function update() {
    var monthBox = wrapper(month);
    var quarterBox = wrapper(quarter);
    if (monthBox) monthBox.hidden = kind.value !== "monthly";
    if (quarterBox) quarterBox.hidden = kind.value !== "quarterly";
  }
  kind.addEventListener("change", update);
  update();
})();
