// Every page: mark that scripts run (so CSS may collapse the menu), then wire the menu button.
// Loaded in <head> without defer so the class is set before the first paint.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUp() {
    var button = document.querySelector(".nav-toggle");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes an open menu and puts focus back on its button.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (!nav.contains(document.activeElement) && document.activeElement !== button) return;
      setOpen(false);
      button.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
