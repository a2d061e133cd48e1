/* casecoach: a closed page frees its kernel at once (Voila bug #1458), and only when it closes.
   Voila's widget manager shuts the page's kernel down from a "beforeunload" listener that posts
   the "_xsrf" cookie's value to voila/api/shutdown/<kernel>. Two things go wrong with it:
   - The render page never sets that cookie (only pages made from the server's own templates, the
     tree page among them, do), so a page opened straight from its address posts an empty token
     and gets "403 '_xsrf' argument missing"; the kernel then waits for the cull.
     Fix: when the cookie is missing, fetch the tree page so that the server issues one. The
     check stays on: the posted token must still match the cookie.
   - "beforeunload" also fires when a page with unsaved work asks first (unsaved.js) and the user
     chooses to stay: the page would stay open with its kernel gone.
     Fix: Voila's listener (recognised by the shutdown address in its code) is registered for
     "pagehide" instead, which fires only when the page really goes.
   This runs before Voila's bundle loads. tests/test_kernels_browser.py checks both. */
(function () {
  "use strict";
  if (!/(^|;\s*)_xsrf=/.test(document.cookie)) {
    var root = (window.location.pathname.split("/voila/")[0] || "") + "/";
    window.fetch(root + "voila/tree", { credentials: "same-origin", cache: "no-store" })
      .catch(function () { /* no cookie: the page still works, its kernel waits for the cull */ });
  }
  var add = window.addEventListener;
  window.addEventListener = function (type, listener, options) {
    if (type === "beforeunload" && typeof listener === "function"
        && String(listener).indexOf("voila/api/shutdown") !== -1) {
      type = "pagehide";
    }
    return add.call(this, type, listener, options);
  };
})();
