/* casecoach: the trainee's name and cohort, entered once and kept.
   - A page opened with ?trainee=... remembers it in this browser (localStorage).
   - The start page opened with no name takes the remembered one (one redirect, before it loads).
   - Typing a name or cohort on the start page keeps it in the address and in the browser, so a
     reload keeps it too.
   - A link to another page that carries no name gets the current one when it is followed.
   Values go through URLSearchParams, so they are encoded, never pasted into markup. */
(function () {
  "use strict";
  var KEY = "casecoach.visit";
  var START = /\/00-start-here(\.ipynb)?$/;
  var FIELDS = { "cc-start-name": "trainee", "cc-start-cohort": "cohort" };

  function remembered() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; }
    catch (e) { return {}; }
  }
  function remember(visit) {
    try {
      if (visit.trainee) { window.localStorage.setItem(KEY, JSON.stringify(visit)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* private mode: links still carry the name */ }
  }

  var params = new URLSearchParams(window.location.search);
  var visit = { trainee: params.get("trainee") || "", cohort: params.get("cohort") || "" };
  if (visit.trainee) {
    remember(visit);
  } else if (START.test(window.location.pathname)) {
    var saved = remembered();
    if (saved.trainee) {
      params.set("trainee", saved.trainee);
      if (saved.cohort) { params.set("cohort", saved.cohort); }
      window.location.replace(window.location.pathname + "?" + params.toString() +
                              window.location.hash);
      return;
    }
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    var holder = box && box.closest ? box.closest(".cc-start-name, .cc-start-cohort") : null;
    if (!holder) { return; }
    Object.keys(FIELDS).forEach(function (css) {
      if (holder.classList.contains(css)) { visit[FIELDS[css]] = box.value.trim(); }
    });
    var query = new URLSearchParams(window.location.search);
    ["trainee", "cohort"].forEach(function (name) {
      if (visit[name]) { query.set(name, visit[name]); } else { query.delete(name); }
    });
    var search = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") +
                                window.location.hash);
    remember(visit);
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !visit.trainee) { return; }
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin || !/\.ipynb$/.test(url.pathname) ||
        url.searchParams.get("trainee")) { return; }
    url.searchParams.set("trainee", visit.trainee);
    if (visit.cohort) { url.searchParams.set("cohort", visit.cohort); }
    link.href = url.href;
  }, true);
})();
