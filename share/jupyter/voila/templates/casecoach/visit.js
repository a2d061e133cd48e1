/* casecoach: the trainee's name and cohort, entered once and kept.
   - A page opened with ?trainee=... remembers it in this browser (localStorage).
   - The start page opened with no name takes the remembered one (one redirect, before it loads).
   - Typing a name or cohort on the start page keeps it in the address and in the browser, so a
     reload keeps it too.
   - A link to another page that carries no name gets the current one when it is followed.
   - Outside JupyterHub (Voila served at /voila/), each browser has its own random id, kept in
     localStorage and carried in the address as ?browser=...: the kernel keeps answers and drafts
     under the name and this id (casecoach/identity.py), so two browsers whose users type the same
     name are two people, while a reload or a second tab of this browser stays the same one.
     A browser with no id yet gets the one its first page's kernel made (the header's
     data-browser): kept here and put in the address, with no second page load. A browser that has
     an id and opens a page without it (a typed address), or with another browser's (a copied
     link), opens that page again once with its own; links carry it, so moving between pages never
     does. A browser that keeps no storage keeps the id in the address only. Under the Hub the
     login is the person and there is no id.
   Values go through URLSearchParams, so they are encoded, never pasted into markup. */
(function () {
  "use strict";
  var KEY = "casecoach.visit";
  var START = /\/00-start-here(\.ipynb)?$/;
  var FIELDS = { "cc-start-name": "trainee", "cc-start-cohort": "cohort" };
  var BROWSER_KEY = "casecoach.browser";
  var BROWSER_ID = /^[A-Za-z0-9_-]{16,64}$/;  // casecoach/identity.py BROWSER_ID
  // Voila on its own serves pages at /voila/...; under JupyterHub every address has the Hub's
  // prefix (/user/NAME/, /services/NAME/) and the login says who this is.
  var STANDALONE = /^\/voila\//.test(window.location.pathname);

  function storedId() {
    try {
      var id = window.localStorage.getItem(BROWSER_KEY) || "";
      return BROWSER_ID.test(id) ? id : "";
    } catch (e) { return ""; }
  }
  function canStore() {
    try {
      window.localStorage.setItem(BROWSER_KEY + ".check", "1");
      window.localStorage.removeItem(BROWSER_KEY + ".check");
      return true;
    } catch (e) { return false; }
  }
  function withBrowser(id) {
    var query = new URLSearchParams(window.location.search);
    if (id) { query.set("browser", id); } else { query.delete("browser"); }
    return window.location.pathname + "?" + query.toString() + window.location.hash;
  }

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
  var reopen = false;
  var browser = "";  // this browser's id, once known
  if (STANDALONE) {
    var stored = storedId(), inAddress = params.get("browser") || "";
    if (stored && inAddress !== stored) {
      params.set("browser", stored);  // a typed address, or another browser's link
      reopen = true;
    } else if (!stored && inAddress && canStore()) {
      params.delete("browser");       // a link from another browser: never its person
      reopen = true;
    }
    browser = stored || (BROWSER_ID.test(inAddress) ? inAddress : "");
  }
  var visit = { trainee: params.get("trainee") || "", cohort: params.get("cohort") || "" };
  if (visit.trainee) {
    remember(visit);
  } else if (START.test(window.location.pathname)) {
    var saved = remembered();
    if (saved.trainee) {
      params.set("trainee", saved.trainee);
      if (saved.cohort) { params.set("cohort", saved.cohort); }
      reopen = true;
    }
  }
  if (reopen) {
    window.location.replace(window.location.pathname + "?" + params.toString() +
                            window.location.hash);
    return;
  }

  // A browser without an id takes the one its page's kernel made (the header's data-browser).
  var watcher = null;
  function adopt() {
    var nav = document.querySelector(".cc-nav[data-browser]");
    var id = nav ? nav.getAttribute("data-browser") : "";
    if (!BROWSER_ID.test(id || "")) { return; }
    if (watcher) { watcher.disconnect(); }  // the page's id is known: nothing more to watch
    if (id === browser) { return; }
    var stored = storedId();
    if (stored && stored !== id) {  // another tab of this browser kept its id first: be that one
      window.location.replace(withBrowser(stored));
      return;
    }
    try { window.localStorage.setItem(BROWSER_KEY, id); } catch (e) { /* the address keeps it */ }
    browser = id;
    window.history.replaceState(null, "", withBrowser(id));
  }
  if (STANDALONE && window.MutationObserver) {
    watcher = new window.MutationObserver(adopt);
    watcher.observe(document.documentElement, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["data-browser"]
    });
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
    if (!link || (!visit.trainee && !browser)) { return; }
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin || !/\.ipynb$/.test(url.pathname)) { return; }
    if (visit.trainee && !url.searchParams.get("trainee")) {
      url.searchParams.set("trainee", visit.trainee);
      if (visit.cohort) { url.searchParams.set("cohort", visit.cohort); }
    }
    if (browser) { url.searchParams.set("browser", browser); }  // the next page needs no reopening
    link.href = url.href;
  }, true);
})();
