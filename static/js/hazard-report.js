/* The phone's hazard report and 首报: "use my location" (fills the hidden lng/lat, asks the server
   which grid unit holds the point and shows its question when the point is outside the unit),
   photo previews, and a submit button that disables itself so a double tap sends once (the
   server's client_key catches the rest). No inline script (CSP). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var msg = form.dataset;
  var status = document.getElementById("location-status");
  var button = document.getElementById("use-location");
  var unit = form.querySelector("[name=unit]");

  function say(text) { if (status) { status.textContent = text; } }

  /* a point outside the unit's boundary: the question of grids/outside.py, asked before sending */
  function ask(question) {
    var box = document.getElementById("outside-question");
    if (!box) { return; }
    var text = document.getElementById("outside-text");
    var check = box.querySelector("input[type=checkbox]");
    if (question) {
      text.textContent = question;
      box.hidden = false;
    } else {
      text.textContent = "";
      box.hidden = true;
      if (check) { check.checked = false; }
    }
  }

  function propose(lng, lat) {
    if (!window.fetch || !msg.proposeUrl) { return; }
    var url = msg.proposeUrl + "?lng=" + encodeURIComponent(lng) + "&lat=" + encodeURIComponent(lat);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.id) { return; }
        if (unit && unit.tagName === "SELECT" && unit.value !== String(data.id)) {
          var option = unit.querySelector("option[value='" + data.id + "']");
          if (option) { unit.value = String(data.id); }
        }
        ask(data.question || "");
        if (data.question) { return; }  /* the point is in none of the person's units: the question says so */
        var line = document.createElement("span");
        line.className = "proposed";
        line.dataset.unit = String(data.id);
        line.textContent = " · " + msg.msgProposed + " " + data.name;
        status.appendChild(line);
      })
      .catch(function () { /* offline: the select keeps the officer's own unit */ });
  }

  if (button) {
    if (navigator.geolocation) { button.hidden = false; }
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { say(msg.msgNoGeo); return; }
      say(msg.msgLocating);
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        var lng = position.coords.longitude.toFixed(6);
        var lat = position.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = lng;
        form.querySelector("[name=lat]").value = lat;
        say(msg.msgLocated + " " + lng + ", " + lat);
        status.dataset.located = "1";
        button.disabled = false;
        propose(lng, lat);
      }, function () {
        say(msg.msgDenied);
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  /* small previews of the chosen photos */
  Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
    var box = form.querySelector(".previews[data-for='" + input.id + "']");
    if (!box || !window.URL) { return; }
    input.addEventListener("change", function () {
      box.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        if (!/^image\//.test(file.type)) { return; }
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        box.appendChild(img);
      });
    });
  });

  /* one tap sends once */
  var submit = document.getElementById("report-submit");
  var label = submit ? submit.textContent : "";
  form.addEventListener("submit", function () {
    if (submit) {
      window.setTimeout(function () { submit.disabled = true; submit.textContent = msg.msgSending; }, 0);
    }
  });
  window.addEventListener("pageshow", function () { if (submit) { submit.disabled = false; submit.textContent = label; } });
})();
