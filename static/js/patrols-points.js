/* The patrol points page: the unit's points on a map; a tap places the new point (fills the
   longitude and latitude fields). Names go in as text nodes, never as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("points-map");
  if (!el || !window.L) { return; }
  var node = document.getElementById(el.dataset.points);
  var points = node ? JSON.parse(node.textContent) : [];
  function label(text) { var span = document.createElement("span"); span.textContent = text == null ? "" : String(text); return span; }
  var map = L.map(el, { attributionControl: false, maxZoom: 18 });
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, errorTileUrl: "" }).addTo(map); }
  var bounds = [];
  points.forEach(function (p) {
    L.circleMarker([p.lat, p.lng], { radius: 7, color: "#1565c0", weight: 3 }).bindTooltip(label(p.name)).addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  var lng = document.getElementById("id_lng"), lat = document.getElementById("id_lat");
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
  else if (lng && lat && lng.value && lat.value) { map.setView([+lat.value, +lng.value], 15); }
  else if (el.dataset.lat && el.dataset.lng) { map.setView([+el.dataset.lat, +el.dataset.lng], 14); }
  else { map.fitWorld(); }
  var marker = null;
  map.on("click", function (e) {
    if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
    if (lng) { lng.value = e.latlng.lng.toFixed(6); }
    if (lat) { lat.value = e.latlng.lat.toFixed(6); }
  });
})();
