// Recruiter candidate list: "select all" for the bulk-action checkboxes.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll("input.select-row").forEach(function (box) {
      box.checked = all.checked;
    });
  });
  var bulk = document.getElementById("bulk");
  if (bulk) {
    bulk.addEventListener("submit", function (event) {
      var chosen = document.querySelectorAll("input.select-row:checked").length;
      if (!chosen) {
        event.preventDefault();
        window.alert("Select at least one candidate first.");
      }
    });
  }
})();
