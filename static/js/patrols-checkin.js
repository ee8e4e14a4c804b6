/* A patrol's start, check-in and finish forms and the presence answer: the phone's position (watched while the page is
   open) and the phone's time go into each form's hidden fields when a button is pressed, before the
   offline queue (offline.js) reads the form. No location: the check-in is sent without it. */
(function () {
  "use strict";
  var status = document.getElementById("pt-location");
  var last = null;
  function say(text) { if (status) { status.textContent = text; } }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (pos) {
      last = pos.coords;
      say((status && status.dataset.msgLocated || "") + " " + last.longitude.toFixed(5) + ", " + last.latitude.toFixed(5));
    }, function () { say(status && status.dataset.msgNone || ""); }, { enableHighAccuracy: true, maximumAge: 30000, timeout: 20000 });
  } else {
    say(status && status.dataset.msgNone || "");
  }
  function fill(form) {
    var when = form.querySelector("input[name=client_time]");
    var lng = form.querySelector("input[name=lng]"), lat = form.querySelector("input[name=lat]");
    if (when) { when.value = new Date().toISOString(); }
    if (last && lng && lat) {  // a patrol's start and finish carry the time only
      lng.value = last.longitude;
      lat.value = last.latitude;
    }
  }
  document.querySelectorAll("form.pt-checkin").forEach(function (form) {
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.addEventListener("click", function () { fill(form); });
    });
    form.addEventListener("submit", function () { fill(form); }, true);
  });
})();
