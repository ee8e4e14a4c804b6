/* The readiness map (/supplies/map/): depots as circles coloured by their owner unit's readiness,
   from a json_script block; tiles only when a tile server is configured (vector layers draw without). */
(function () {
  "use strict";
  var el = document.getElementById("supplies-map");
  if (!el || !window.L) { return; }
  var node = document.getElementById(el.dataset.depots);
  var depots = node ? JSON.parse(node.textContent) : [];
  var colours = { short: "#b42318", ready: "#067647", none: "#667085" };
  /* Leaflet inserts a string tooltip as HTML: hand it an element holding the text. */
  function label(depot) {
    var span = document.createElement("span");
    span.textContent = depot.name + " · " + depot.unit + " · " + (el.dataset["label" + depot.status.charAt(0).toUpperCase() + depot.status.slice(1)] || "");
    return span;
  }
  var map = L.map(el, { zoomControl: true, attributionControl: false, maxZoom: 18 });
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, errorTileUrl: "" }).addTo(map); }
  var group = L.featureGroup().addTo(map);
  depots.forEach(function (depot) {
    var colour = colours[depot.status] || colours.none;
    var marker = L.circleMarker([depot.lat, depot.lng], { radius: 9, color: colour, fillColor: colour, fillOpacity: 0.8, weight: 2 });
    marker.bindTooltip(label(depot));
    marker.on("click", function () { window.location.href = "../depots/" + depot.id + "/"; });
    marker.addTo(group);
  });
  if (depots.length) { map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 13 }); } else { map.setView([24.35, 106.56], 9); }
  el.dataset.ready = String(depots.length);
})();
