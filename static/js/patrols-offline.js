/* A whole patrol with no signal, on the patrol page (/patrols/, from the service worker's cache):
   when the start is saved in the phone's queue (offline.js tells it with "offline:queued"), the
   village's points are shown here, their check-ins and the finish addressed by the start's client
   key (/patrols/by-key/<key>/…) and always queued, so that they are sent after the start, in order.
   What is under way is kept in localStorage until the finish is queued (the page may be reloaded). */
(function () {
  "use strict";
  var panel = document.getElementById("patrol-offline");
  var start = document.getElementById("patrol-start");
  if (!panel || !start) { return; }
  var STORE = "patrols-offline";
  var zero = panel.dataset.zero;

  function load() {
    try {
      var state = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return state && state.user === panel.dataset.user ? state : null;  // another person's: forgotten
    } catch (e) { return null; }
  }
  function save(state) {
    try {
      if (state) { window.localStorage.setItem(STORE, JSON.stringify(state)); } else { window.localStorage.removeItem(STORE); }
    } catch (e) { /* private mode: the patrol lasts as long as the page */ }
  }
  function field(fields, name) {
    for (var i = 0; i < fields.length; i++) { if (fields[i][0] === name) { return fields[i][1]; } }
    return "";
  }

  function mark(li) {
    li.classList.add("done");
    li.querySelector(".pt-result").hidden = false;
    var form = li.querySelector("form");
    if (form) { form.hidden = true; }
  }

  function show(state) {
    var list = panel.querySelector("ol.pt-points[data-unit='" + state.unit + "']");
    if (!list) { save(null); return; }  // the unit is not one of the person's any more
    start.hidden = true;
    panel.hidden = false;
    document.getElementById("patrol-offline-unit").textContent = list.dataset.unitName;
    list.hidden = false;
    list.querySelectorAll("form").forEach(function (form) {
      form.action = panel.dataset.checkinUrl.replace(zero, state.key);
    });
    list.querySelectorAll("li.pt-point").forEach(function (li) {
      if (state.done.indexOf(li.dataset.point) !== -1) { mark(li); }
    });
    document.getElementById("patrol-offline-finish").action = panel.dataset.finishUrl.replace(zero, state.key);
  }

  document.addEventListener("offline:queued", function (event) {
    var form = event.target, fields = event.detail.fields, state = load();
    if (form === start) {
      state = { user: panel.dataset.user, key: field(fields, "client_key"), unit: field(fields, "unit"), done: [] };
      if (!state.key) { return; }  // no key, nothing to address the check-ins by: the start alone is queued
      save(state);
      show(state);
    } else if (state && panel.contains(form) && form.id === "patrol-offline-finish") {
      save(null);
      Array.prototype.forEach.call(panel.querySelectorAll("ol.pt-points"), function (list) { list.hidden = true; });
      form.hidden = true;
      document.getElementById("patrol-offline-done").hidden = false;
    } else if (state && panel.contains(form)) {
      var point = field(fields, "point");
      if (state.done.indexOf(point) === -1) { state.done.push(point); }
      save(state);
      mark(form.closest("li.pt-point"));
    }
  });

  var state = load();
  if (state) { show(state); }
})();
