/* The officer's phone, on every page of a signed-in person: registers the service worker, gives each
   report form a fresh idempotency key, shrinks photos before upload with a progress bar, saves a
   submission in the phone's queue (queue.js) when there is no signal, sends the queue in order when
   the signal returns, draws /offline/queue/, and empties the page caches on log out. */
(function () {
  "use strict";
  var conf = document.getElementById("offline-config");
  if (!conf || !window.OfflineQueue) { return; }
  var msg = conf.dataset;
  var Q = window.OfflineQueue;
  var MAX_SIDE = 1600, QUALITY = 0.8;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function freshKeys(form) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name$=client_key]"), function (input) {
      if (input.dataset.keep) { return; }  // a key the page was given (a patrol check-in's hazard report)
      input.value = uuid();
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(msg.sw, { scope: "/" }).catch(function () {});
  }

  // --- photos: 1,600 px on the longer side, JPEG 0.8, before they leave the phone ---------------
  function shrink(file) {
    if (!file || !file.size || !/^image\//.test(file.type)) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? blob : file);
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });  // the server checks and refuses what it cannot read
  }

  async function fields(form, submitter) {
    var data = new FormData(form, submitter || undefined);
    var out = [];
    for (var pair of data.entries()) {
      var value = pair[1];
      if (value instanceof File) {
        if (!value.size) { continue; }
        var small = await shrink(value);
        var name = value.name.replace(/\.[^.]*$/, "") + ".jpg";
        out.push([pair[0], small, small === value ? value.name : name]);
      } else {
        out.push([pair[0], value]);
      }
    }
    return out;
  }

  // --- the queue -------------------------------------------------------------------------------
  function notice(form, text, kind) {
    var box = form.querySelector(".offline-notice");
    if (!box) {
      box = document.createElement("p");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "offline-notice " + (kind || "");
    box.textContent = text + " ";
    var link = document.createElement("a");
    link.href = msg.queueUrl;
    link.textContent = msg.queueLink;
    box.appendChild(link);
    box.scrollIntoView({ block: "center" });
  }

  async function enqueue(form, entryFields) {
    await Q.add({
      url: form.action, label: labelOf(form), fields: entryFields,
      key: (form.querySelector("input[name$=client_key]") || {}).value || ""
    });
    // the page's own script may follow what was queued (a patrol started offline: patrols-offline.js)
    form.dispatchEvent(new CustomEvent("offline:queued", { bubbles: true, detail: { fields: entryFields } }));
    form.reset();
    freshKeys(form);
    Array.prototype.forEach.call(form.querySelectorAll(".previews"), function (p) { p.textContent = ""; });
    notice(form, msg.saved, "queued");
    if ("serviceWorker" in navigator && "SyncManager" in window) {
      navigator.serviceWorker.ready.then(function (r) { return r.sync.register("outbox"); }).catch(function () {});
    }
    badge();
  }

  function labelOf(form) {
    var title = form.querySelector("input[name=title]");
    var h1 = document.querySelector("h1");
    return [(h1 && h1.textContent) || document.title, title && title.value].filter(Boolean).join("：");
  }

  function progressBar(form) {
    var bar = form.querySelector("progress.upload");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "upload";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", msg.uploading);
      var button = form.querySelector("[type=submit]");
      form.insertBefore(bar, button);
    }
    bar.hidden = false;
    return bar;
  }

  function resetButtons(form) {
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("[type=submit]"), function (b) {
        b.disabled = false;
        if (b.dataset.label) { b.textContent = b.dataset.label; }
      });
    }, 10);
  }

  function post(form, entryFields) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      var bar = progressBar(form);
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Offline-Form", "1");  // its redirect comes back as X-Redirect-To
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); } };
      xhr.onload = function () { bar.value = 100; resolve(xhr); };
      xhr.onerror = xhr.ontimeout = function () { bar.hidden = true; reject(new Error("network")); };
      xhr.send(Q.body({ fields: entryFields }));
    });
  }

  async function submit(event) {
    var form = event.target;
    if (!form.matches(msg.forms)) { return; }
    event.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll("[type=submit]"), function (b) {
      b.dataset.label = b.dataset.label || b.textContent;
    });
    var entryFields = await fields(form, event.submitter);
    /* data-queue="always": the form goes through the queue even with a signal, so that it is sent
       after what is already waiting (a patrol's check-ins after its start saved offline) */
    if (form.dataset.queue === "always") {
      await enqueue(form, entryFields); resetButtons(form); flush(); return;
    }
    if (!navigator.onLine) { await enqueue(form, entryFields); resetButtons(form); return; }
    var xhr;
    try {
      xhr = await post(form, entryFields);
    } catch (e) {
      await enqueue(form, entryFields);
      resetButtons(form);
      return;
    }
    // 425: what it belongs to has not arrived yet (a patrol's start): kept and sent again later
    if (xhr.status >= 500 || xhr.status === 0 || xhr.status === 425) { await enqueue(form, entryFields); resetButtons(form); return; }
    // saved: go to the next page ourselves, so that it shows the saved message (the server did not
    // redirect the XHR, which would have read the page and used the message up)
    var next = xhr.getResponseHeader("X-Redirect-To");
    if (next) { window.location.assign(next); return; }
    if (xhr.responseURL && xhr.responseURL !== form.action) { window.location.assign(xhr.responseURL); return; }
    document.open(); document.write(xhr.responseText); document.close();  // the form again, with its errors
  }

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches(msg.forms)) { submit(event); }
  });

  // --- sending ---------------------------------------------------------------------------------
  var flushing = false, again = false;
  async function flush() {
    if (!navigator.onLine) { return; }
    if (flushing) { again = true; return; }  // queued during a run: one more run after it
    flushing = true;
    do {
      again = false;
      try { await Q.flush(); } catch (e) { /* the next try */ }
    } while (again && navigator.onLine);
    flushing = false;
    badge();
    draw();
  }

  async function badge() {
    var waiting = (await Q.all()).filter(function (e) { return e.status === "waiting"; }).length;
    Array.prototype.forEach.call(document.querySelectorAll(".queue-badge"), function (node) {
      node.textContent = waiting ? String(waiting) : "";
      node.hidden = !waiting;
    });
  }

  // --- /offline/queue/ -------------------------------------------------------------------------
  async function draw() {
    var list = document.getElementById("offline-queue");
    if (!list) { return; }
    var entries = (await Q.all()).reverse();
    list.textContent = "";
    document.getElementById("offline-queue-empty").hidden = entries.length > 0;
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      li.className = "queue-item queue-" + entry.status;
      li.dataset.status = entry.status;
      var state = document.createElement("strong");
      state.textContent = msg["status" + entry.status.charAt(0).toUpperCase() + entry.status.slice(1)];
      var label = document.createElement("span");
      label.textContent = " " + (entry.label || entry.url) + " · " + new Date(entry.created).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "zh-CN");
      li.appendChild(state);
      li.appendChild(label);
      if (entry.error) {
        var why = document.createElement("p");
        why.className = "queue-error";
        why.textContent = entry.error;
        li.appendChild(why);
      }
      if (entry.status === "refused" && entry.question) {  // the out-of-grid question, answered here
        var confirm = document.createElement("button");
        confirm.type = "button";
        confirm.className = "button queue-confirm-outside";
        confirm.textContent = msg.confirmOutside;
        confirm.addEventListener("click", async function () {
          confirm.disabled = true;
          await Q.confirmOutside(entry.id);
          await Q.flush();
          await draw();
        });
        li.appendChild(confirm);
      }
      if (entry.status === "sent" && entry.result) {
        var open = document.createElement("a");
        open.href = entry.result;
        open.textContent = " " + msg.open;
        li.appendChild(open);
      }
      list.appendChild(li);
    });
  }

  // --- log out: nobody's pages stay in the phone ------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[action='" + msg.logout + "']") || form.dataset.cleared) { return; }
    event.preventDefault();
    var done = function () { form.dataset.cleared = "1"; form.submit(); };
    var work = [Q.clear()];
    if (window.caches) {
      work.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("pages-") === 0; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    Promise.all(work).then(done, done);
  }, true);

  document.querySelectorAll(msg.forms).forEach(freshKeys);
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  flush();
  draw();
  window.OfflinePage = { flush: flush, draw: draw };
})();
