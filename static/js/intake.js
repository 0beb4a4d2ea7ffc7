// Applicant intake: follow the resume parse without reloading, and add/remove form rows.
(function () {
  "use strict";

  var LABELS = { parsing: 1, parsed: 2, failed: 2 };
  var onParsed = function () {};

  function updateStatus(box, state) {
    box.dataset.status = state.status || "";
    box.className = "parse-status status-" + (state.status || "none");
    var badge = box.querySelector(".parse-badge");
    if (badge) badge.textContent = state.label;
    var steps = box.querySelectorAll(".parse-steps li");
    var reached = LABELS[state.status] || 0;
    steps.forEach(function (li, i) {
      var done = i < reached || state.status === "parsed";
      li.className = done ? "done" : i === reached ? "now" : "";
    });
    if (steps.length === 3 && state.status === "failed") steps[2].textContent = "Could not read";
    var error = box.querySelector(".parse-error");
    if (error) {
      error.hidden = !state.error;
      if (state.error) error.textContent = state.error + " You can still fill in the profile yourself.";
    }
    var next = box.querySelector(".parse-next");
    if (next) {
      next.hidden = next.dataset.when === "parsed" ? state.status !== "parsed" : !state.done;
      var link = next.querySelector("a");
      if (link && state.status === "failed") link.textContent = "Fill in your profile →";
    }
  }

  function poll(box) {
    var url = box.dataset.statusUrl;
    var delay = 1000;
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (state) {
          updateStatus(box, state);
          if (state.prefill) onParsed(state.prefill);
          if (!state.done) {
            delay = Math.min(delay * 1.3, 5000);
            window.setTimeout(tick, delay);
          }
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, delay);
  }


  // --- add / remove rows of a FieldList (names look like "experience-3-title") ---
  function renumber(row, index) {
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/^(\w+)-\d+-/, "$1-" + index + "-"));
      });
    });
  }

  function nextIndex(group) {
    var max = -1;
    group.querySelectorAll("[data-row] [name]").forEach(function (el) {
      var m = /^\w+-(\d+)-/.exec(el.getAttribute("name"));
      if (m) max = Math.max(max, parseInt(m[1], 10));
    });
    return max + 1;
  }

  function wireRemove(row) {
    var button = row.querySelector("[data-remove-row]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var group = row.parentNode;
      if (group.querySelectorAll("[data-row]").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input, select, textarea").forEach(function (el) { el.value = ""; });
      }
    });
  }

  function addRow(group, focus) {
    var rows = group.querySelectorAll("[data-row]");
    var template = rows[rows.length - 1];
    var row = template.cloneNode(true);
    renumber(row, nextIndex(group));
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "checkbox") el.checked = false; else el.value = "";
    });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    template.parentNode.insertBefore(row, group.querySelector("[data-add-row]"));
    wireRemove(row);
    var first = row.querySelector("input, select");
    if (focus && first) first.focus();
    return row;
  }

  document.querySelectorAll("[data-rows]").forEach(function (group) {
    group.querySelectorAll("[data-row]").forEach(wireRemove);
    var add = group.querySelector("[data-add-row]");
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", function () { addRow(group, true); });
  });

  // --- a parse that finishes while the profile form is open fills only the empty inputs ---
  function applyPrefill(prefill) {
    var form = document.querySelector("form.profile-form");
    if (!form || !prefill) return;
    Object.keys(prefill.values).forEach(function (name) {
      var value = prefill.values[name];
      if (Array.isArray(value)) {  // checkboxes: tick them only when none is ticked yet
        var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
        if (Array.prototype.some.call(boxes, function (b) { return b.checked; })) return;
        boxes.forEach(function (b) { if (value.indexOf(b.value) >= 0) b.checked = true; });
        return;
      }
      var el = form.querySelector('[name="' + name + '"]');
      var m = /^(\w+)-(\d+)-/.exec(name);
      if (!el && m) {
        var group = form.querySelector('[data-rows="' + m[1] + '"]');
        for (var i = 0; group && !el && i < 30; i++) {
          addRow(group, false);
          el = form.querySelector('[name="' + name + '"]');
        }
      }
      if (!el || el.value) return;
      el.value = prefill.values[name];
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    prefill.check.forEach(function (name) {
      var target = form.querySelector('[data-rows="' + name + '"]');
      var input = form.querySelector('[name="' + name + '"]');
      if (!target && input) target = input.closest(".field");
      if (target) target.classList.add("low-confidence");
    });
  }
  onParsed = applyPrefill;

  var box = document.getElementById("parse-status");
  if (box && (box.dataset.status === "pending" || box.dataset.status === "parsing")) poll(box);
})();
