// The assessment page: countdown from the server's time left, autosave of every change,
// integrity events (paste, focus loss). The server decides everything; this only reports.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Countdown: seconds left come from the server; we only subtract elapsed page time.
  var countdown = document.getElementById("countdown");
  var secondsLeft = countdown ? parseInt(countdown.dataset.secondsLeft, 10) : 0;
  var since = performance.now();
  function remaining() {
    return Math.max(0, secondsLeft - (performance.now() - since) / 1000);
  }
  function showClock() {
    if (!countdown) return;
    var left = Math.ceil(remaining());
    var m = Math.floor(left / 60), s = left % 60;
    countdown.textContent = m + ":" + (s < 10 ? "0" : "") + s + " left";
    countdown.classList.toggle("urgent", left <= 300);
    if (left <= 0) {
      clearInterval(clockTimer);
      countdown.textContent = "Time is up";
      setTimeout(function () { window.location.reload(); }, 1500);
    }
  }
  var clockTimer = countdown ? setInterval(showClock, 1000) : null;
  if (countdown) showClock();

  var root = document.getElementById("attempt");
  if (!root) return;
  var form = document.getElementById("answer-form");
  var status = document.getElementById("save-status");
  var position = parseInt(root.dataset.position, 10);
  var kind = root.dataset.kind;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body),
    });
  }

  function collect() {
    var answer = {};
    if (kind === "pairwise") {
      var checked = form.querySelector('input[name="choice"]:checked');
      if (checked) answer.choice = parseInt(checked.value, 10);
    } else {
      var selects = form.querySelectorAll('select[name^="rank_"]');
      var ranks = [];
      selects.forEach(function (s) { ranks.push(s.value); });
      if (ranks.every(function (r) { return r !== ""; })) {
        answer.ranking = ranks.map(function (r) { return parseInt(r, 10); });
      }
    }
    var rationale = form.querySelector('textarea[name="rationale"]').value;
    if (rationale.trim()) answer.rationale = rationale;
    var flag = form.querySelector('input[name="flag"]');
    var reason = form.querySelector('input[name="flag_reason"]').value;
    if (flag.checked && reason.trim()) answer.flag = { reason: reason };
    return answer;
  }

  function setStatus(text, cls) {
    status.textContent = text;
    status.className = "save-status " + (cls || "");
  }

  var saveTimer = null, inFlight = false, again = false;
  function schedule(delay) {
    setStatus("Saving…", "saving");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }
  function save() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    var flag = form.querySelector('input[name="flag"]');
    var reason = form.querySelector('input[name="flag_reason"]').value;
    post(root.dataset.saveUrl, { answer: collect() }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (res.ok) {
        secondsLeft = res.data.seconds_left; since = performance.now();
        setStatus(flag.checked && !reason.trim() ? "Saved (say why you flag it)" : "Saved", "saved");
        var cell = document.querySelector('.progress-map .cell[data-position="' + position + '"]');
        if (cell) {
          cell.classList.toggle("answered", res.data.answered);
          cell.classList.toggle("flagged", res.data.flagged);
          cell.setAttribute("aria-label", "Item " + (position + 1) +
            (res.data.answered ? ", answered" : "") + (res.data.flagged ? ", flagged" : ""));
        }
      } else if (res.status === 409) {
        setStatus(res.data.error, "error");
        window.location.href = res.data.result_url || root.dataset.resultUrl;
      } else {
        setStatus("Not saved: " + (res.data.error || "error"), "error");
      }
    }).catch(function () {
      setStatus("Not saved (offline?) — retrying…", "error");
      setTimeout(save, 3000);
    }).then(function () {
      inFlight = false;
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("change", function () { schedule(0); });
  form.addEventListener("input", function (e) {
    if (e.target.tagName === "TEXTAREA" || e.target.type === "text") schedule(700);
  });
  form.addEventListener("submit", function (e) {
    clearTimeout(saveTimer);  // the form post saves the same answer on the server
    if (e.submitter && e.submitter.value === "submit") return;
  });

  function report(eventKind) {
    post(root.dataset.eventsUrl, { kind: eventKind, position: position }).catch(function () {});
  }
  form.querySelector('textarea[name="rationale"]').addEventListener("paste", function () { report("paste"); });
  var lastLoss = 0;
  function focusLost() {
    var t = performance.now();
    if (t - lastLoss > 1000) { lastLoss = t; report("focus_loss"); }
  }
  document.addEventListener("visibilitychange", function () { if (document.hidden) focusLost(); });
  window.addEventListener("blur", focusLost);
})();
