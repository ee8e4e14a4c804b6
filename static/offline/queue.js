/* The phone's queue of POSTs (IndexedDB through idb), shared by the pages (offline.js) and the
   service worker (sw.js). Each entry: {id, url, label, fields: [[name, value, filename?]], key,
   status: "waiting" | "sent" | "refused", error, created, sent, result}. Sent strictly in order;
   a network failure stops the run (the rest wait), an answer from the server settles the entry;
   425 (Too Early: a patrol's check-in before its start arrived) keeps the entry waiting for the
   next run and goes on with the rest. */
(function (root) {
  "use strict";
  var DB = "emergency-offline", STORE = "outbox";

  function db() {
    return root.idb.openDB(DB, 1, {
      upgrade: function (d) { d.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); }
    });
  }

  async function add(entry) {
    entry.status = "waiting";
    entry.created = new Date().toISOString();
    return (await db()).add(STORE, entry);
  }

  async function all() { return (await db()).getAll(STORE); }

  async function clear() { return (await db()).clear(STORE); }

  function text(html, selector) {
    if (typeof DOMParser !== "undefined") {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var nodes = doc.querySelectorAll(selector);
      return Array.prototype.map.call(nodes, function (n) { return n.textContent.replace(/\s+/g, " ").trim(); })
        .filter(Boolean).join("；");
    }
    return "";
  }

  function plain(html, cls) {  // the service worker has no DOMParser: the first element of that class
    var match = new RegExp('class="[^"]*' + cls + '[^"]*"[^>]*>([\\s\\S]*?)</(li|div|ul)>').exec(html);
    return match ? match[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() : "";
  }

  /* Read the server's answer: refused (its Chinese error), sent, or "later" (login, server down). */
  async function settle(response) {
    var html = await response.text();
    var page = response.url || "";
    if (page.indexOf("/accounts/login/") !== -1 || response.status >= 500 || response.status === 429) {
      return { later: true };
    }
    if (response.status === 425) {  // too early (a patrol's start not arrived): kept, the rest go on
      return { later: true, skip: true, error: text(html, ".msg-error") || plain(html, "msg-error") };
    }
    var formError = text(html, ".form-errors .errorlist li, .form-errors p:not(:first-child)") || plain(html, "form-errors");
    if (response.status >= 400) {
      return { status: "refused", error: formError || plain(html, "msg-error") || String(response.status) };
    }
    /* the form again with its errors (answered 200, e.g. the out-of-grid question): nothing was filed;
       the out-of-grid question can be answered from the queue page, the entry (and its photos) kept */
    if (formError && !response.redirected) {
      if (html.indexOf("outside-question has-error") !== -1) {  // only the question: the entry is kept whole
        return { status: "refused", error: text(html, "#outside-text") || plain(html, "outside-text") || formError, question: true };
      }
      return { status: "refused", error: formError };
    }
    var error = text(html, ".messages .msg-error") || plain(html, "msg-error");
    if (error) { return { status: "refused", error: error }; }
    return { status: "sent", result: page };
  }

  function body(entry) {
    var data = new FormData();
    entry.fields.forEach(function (f) {
      if (f[2] !== undefined) { data.append(f[0], f[1], f[2]); } else { data.append(f[0], f[1]); }
    });
    return data;
  }

  async function send(entry) {
    var response = await fetch(entry.url, { method: "POST", body: body(entry), credentials: "same-origin" });
    return settle(response);
  }

  async function run() {
    var store = await db();
    var items = (await store.getAll(STORE)).filter(function (e) { return e.status === "waiting"; });
    var done = 0;
    for (var i = 0; i < items.length; i++) {
      var entry = items[i], outcome;
      try { outcome = await send(entry); } catch (e) { break; }  // no signal: keep the order, try later
      if (outcome.later && outcome.skip) {  // waits for an entry not sent yet: kept, tried next run
        entry.error = outcome.error || "";
        await store.put(STORE, entry);
        continue;
      }
      if (outcome.later) { break; }
      entry.status = outcome.status;
      entry.error = outcome.error || "";
      entry.result = outcome.result || "";
      entry.question = !!outcome.question;
      entry.sent = new Date().toISOString();
      await store.put(STORE, entry);
      done++;
    }
    return done;
  }

  /* One run at a time across the pages and the service worker (Web Locks where the browser has them). */
  function flush() {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request("emergency-outbox", run);
    }
    return run();
  }

  /* The officer answered the out-of-grid question of a refused entry: send it again, confirmed. */
  async function confirmOutside(id) {
    var store = await db();
    var entry = await store.get(STORE, id);
    if (!entry || !entry.question) { return; }
    entry.fields = entry.fields.filter(function (f) { return f[0] !== "confirm_outside"; });
    entry.fields.push(["confirm_outside", "on"]);
    entry.status = "waiting";
    entry.error = "";
    entry.question = false;
    await store.put(STORE, entry);
  }

  root.OfflineQueue = {
    add: add, all: all, clear: clear, flush: flush, send: send, settle: settle, body: body, confirmOutside: confirmOutside
  };
})(self);
