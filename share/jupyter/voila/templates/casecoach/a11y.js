/* casecoach: what the rendered widgets lack for keyboard and screen-reader users (README,
   "Accessibility"). ipywidgets cannot set ARIA attributes from Python, so this adds them to the
   classes the widgets carry, and keeps them right as the widgets change:
   - the page's content is the main landmark (the course header inside it is a nav);
   - a chart row's header (ipywidgets' Accordion / Collapse) is a disclosure button: it takes
     focus, opens and closes with Enter or Space, and says whether it is open (aria-expanded);
   - toggle buttons say whether they are pressed;
   - widgets marked cc-live (widgets/_a11y.py) are polite live regions (role=status). */
(function () {
  "use strict";

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  var uid = 0;
  function idOf(el) {
    if (!el.id) el.id = "cc-a11y-" + (++uid);
    return el.id;
  }

  function onHeaderKey(event) {
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault();
      event.currentTarget.click();
    }
  }

  function disclosure(header) {
    var collapse = header.parentElement;
    if (!collapse) return;
    if (!header.dataset.ccDisclosure) {
      header.dataset.ccDisclosure = "1";
      header.addEventListener("keydown", onHeaderKey);
      var icon = header.querySelector("i");
      if (icon) icon.setAttribute("aria-hidden", "true");
    }
    set(header, "role", "button");
    set(header, "tabindex", "0");
    set(header, "aria-expanded",
        String(collapse.classList.contains("jupyter-widget-Collapse-open")));
    var contents = collapse.querySelector(":scope > .jupyter-widget-Collapse-contents");
    if (contents) set(header, "aria-controls", idOf(contents));
  }

  function sweep() {
    var cells = document.getElementById("rendered_cells");
    if (cells) set(cells, "role", "main");
    document.querySelectorAll(".jupyter-widget-Collapse-header").forEach(disclosure);
    document.querySelectorAll(".widget-toggle-button").forEach(function (button) {
      set(button, "aria-pressed", String(button.classList.contains("mod-active")));
    });
    document.querySelectorAll(".cc-live").forEach(function (region) {
      set(region, "role", "status");
      set(region, "aria-live", "polite");
      set(region, "aria-atomic", "true");
    });
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      sweep();
    });
  }

  function start() {
    sweep();
    // Classes change when a row opens, a toggle is pressed or a widget is shown; only those are
    // watched, and only attributes that differ are written, so this never feeds itself.
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["class"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
