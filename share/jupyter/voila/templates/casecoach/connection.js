/* casecoach: the page says so when it loses its server or kernel, and keeps what was typed.
   A page's widgets talk to its kernel over one WebSocket (…/api/kernels/<id>/channels). When the
   Voila server is stopped or killed, or the kernel dies, that socket closes and every click and
   keystroke after it goes nowhere, silently. This wraps the WebSocket constructor (before Voila's
   bundle loads, so the kernel connection is made through it) and watches the kernel sockets:
   - closed, and none open again within a moment: a banner (role="alert") at the top says so in
     plain words; the text boxes are left exactly as they are;
   - while lost, the server is asked every few seconds whether it answers again; when it does,
     the banner says the page must be reloaded, and its button reloads it with the text typed
     into the page's boxes put back (kept in this tab's sessionStorage across the reload, then
     typed into the same boxes as each appears, which sends it to the new kernel);
   - a kernel socket that opens again (a short network blip) takes the banner away;
   - a kernel that dies under a running server (the server starts a new, empty one, which knows
     nothing of this page's widgets) is said at once, with the same reload that keeps the text.
   The words come from messages.yaml (connection), carried by the page's store notice as data
   attributes (widgets/_services.py); the English below is only used if they are missing.
   tests/test_connection_browser.py kills a real Voila under a page and checks all of this. */
(function () {
  "use strict";
  var Native = window.WebSocket;
  if (!Native) { return; }
  var KERNEL = /\/api\/kernels\/[^/?]+\/channels/;
  var STASH = "casecoach.kept:" + window.location.pathname;
  var open = 0, leaving = false, shown = false, timer = null, poll = null, ended = false;
  var DEFAULTS = {
    lost: "The connection to the casecoach server was lost: what you type now is not saved or sent. Your text stays on this page; keep the page open.",
    back: "The casecoach server answers again, but this page's session has ended. Reload it to go on: the text you typed is put back after the reload.",
    reload: "Reload and keep my text",
    kernel: "This page's session on the server has ended (its kernel stopped), so what you do here is no longer saved. Your text stays on this page: reload it to go on, and the text is put back."
  };
  /* A kernel status the server sends when the page's kernel died: "restarting" or "dead". Read
     from the frame's text, which holds the message as JSON in both of Jupyter's wire formats. */
  var ENDED = /"execution_state"\s*:\s*"(restarting|dead|autorestarting)"/;
  var decoder = window.TextDecoder ? new TextDecoder() : null;

  function words(key) {
    var holder = document.querySelector("[data-cc-connection-" + key + "]");
    return (holder && holder.getAttribute("data-cc-connection-" + key)) || DEFAULTS[key];
  }

  function banner() {
    var box = document.getElementById("cc-connection");
    if (!box) {
      box = document.createElement("div");
      box.id = "cc-connection";
      box.className = "cc-connection";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:sticky;top:0;z-index:1000;margin:0 0 8px;padding:10px 14px;" +
        "background:#fff4e5;border:2px solid #b54708;border-radius:6px;color:#1d2939;" +
        "font-size:15px;line-height:1.4";
      var text = document.createElement("span");
      text.className = "cc-connection-text";
      box.appendChild(text);
      document.body.insertBefore(box, document.body.firstChild);
    }
    return box;
  }

  function show(state) {
    var box = banner();
    box.setAttribute("data-state", state);
    box.querySelector(".cc-connection-text").textContent = words(state) + " ";
    var button = box.querySelector("button");
    if ((state === "back" || state === "kernel") && !button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "cc-connection-reload";
      button.textContent = words("reload");
      button.addEventListener("click", reloadKeeping);
      box.appendChild(button);
    }
    document.body.classList.add("cc-offline");
    shown = true;
  }

  function hide() {
    var box = document.getElementById("cc-connection");
    if (box) { box.parentNode.removeChild(box); }
    document.body.classList.remove("cc-offline");
    shown = false;
    if (poll) { window.clearInterval(poll); poll = null; }
  }

  function lost() {
    if (leaving || open > 0 || ended) { return; }
    show("lost");
    if (!poll) {
      poll = window.setInterval(function () {
        var root = (window.location.pathname.split("/voila/")[0] || "") + "/";
        window.fetch(root + "voila/tree", { cache: "no-store", credentials: "same-origin" })
          .then(function (response) { if (response.ok && open === 0) { show("back"); } })
          .catch(function () { /* still down */ });
      }, 3000);
    }
  }

  function check(text) {
    if (!leaving && text.indexOf("execution_state") !== -1 && ENDED.test(text)) {
      ended = true;   // for good: a socket that opens again reaches the new, empty kernel
      show("kernel");
    }
  }

  /* The page's text boxes, each named by its place: the n-th box of that kind on the page. */
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll(
      ".jp-OutputArea textarea, .jp-OutputArea input[type=text]"));
  }

  function reloadKeeping() {
    var kept = boxes().map(function (box) { return box.value; });
    try { window.sessionStorage.setItem(STASH, JSON.stringify(kept)); } catch (e) { /* full */ }
    leaving = true;
    window.location.reload();
  }

  /* Each kept text goes back into the box at its place as soon as that box exists (a join page
     shows its rewrite box only once the exercise is joined again); a disabled box is left alone. */
  function putBack() {
    var kept;
    try { kept = JSON.parse(window.sessionStorage.getItem(STASH) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.length) { return; }
    var done = kept.map(function (text) { return !text; });
    var tries = 0;
    var wait = window.setInterval(function () {
      var found = boxes();
      tries += 1;
      found.forEach(function (box, i) {
        if (i >= kept.length || done[i]) { return; }
        done[i] = true;
        if (!box.disabled && box.value !== kept[i]) {
          box.value = kept[i];
          box.dispatchEvent(new Event("input", { bubbles: true }));
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      if (done.every(Boolean) || tries > 1200) {   // all back, or ten minutes
        window.clearInterval(wait);
        window.sessionStorage.removeItem(STASH);
      }
    }, 500);
  }

  function Watched(url, protocols) {
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (KERNEL.test(String(url))) {
      socket.addEventListener("open", function () {
        open += 1;
        if (timer) { window.clearTimeout(timer); timer = null; }
        if (shown && !ended) { hide(); }
        if (open === 1) { putBack(); }
      });
      socket.addEventListener("close", function (event) {
        if (event.target.__ccOpened) { open -= 1; }
        if (timer) { window.clearTimeout(timer); }
        timer = window.setTimeout(lost, 1500);   // a reconnect within a moment is no loss
      });
      socket.addEventListener("open", function () { socket.__ccOpened = true; });
      socket.addEventListener("message", function (event) {
        var data = event.data;
        if (typeof data === "string") { check(data); }
        else if (data instanceof ArrayBuffer && decoder) { check(decoder.decode(data)); }
        else if (data && typeof data.text === "function") { data.text().then(check); }
      });
    }
    return socket;
  }
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) { Watched[name] = Native[name]; });
  window.WebSocket = Watched;
  window.addEventListener("pagehide", function () { leaving = true; });
})();
