// The global proposal: follow a running job's progress without reloading, then show its result.
// Without scripts the page refreshes itself (a <noscript> meta refresh) and reads the same state.
(function () {
  "use strict";

  function follow(box) {
    var bar = box.querySelector("progress");
    var step = box.querySelector("[data-proposal-step]");
    var delay = 400;
    function tick() {
      fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (state) {
          if (bar) { bar.value = state.progress; bar.textContent = state.progress + "%"; }
          if (step) step.textContent = state.step + " (" + state.progress + "%)";
          if (state.finished) {
            window.location.reload();  // the result page, rendered by the server
            return;
          }
          delay = Math.min(delay * 1.25, 3000);
          window.setTimeout(tick, delay);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, delay);
  }

  document.querySelectorAll("[data-proposal-run]").forEach(follow);
})();
