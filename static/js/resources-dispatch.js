/* "Who can I send?": the point asked about, the teams and the depots found, from a json_script
   block; tiles only when a tile server is configured (the vector layers draw without one).
   Labels are text nodes, never HTML. */
(function () {
  "use strict";
  var el = document.getElementById("dispatch-map");
  if (!el || !window.L) { return; }
  var node = document.getElementById(el.dataset.mapData);
  var data = node ? JSON.parse(node.textContent) : { centre: null, points: [] };
  function label(text) { var span = document.createElement("span"); span.textContent = text == null ? "" : String(text); return span; }
  var map = L.map(el, { zoomControl: true, attributionControl: false, maxZoom: 18 });
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, errorTileUrl: "" }).addTo(map); }
  var layer = L.featureGroup().addTo(map);
  if (data.centre) {
    L.circleMarker([data.centre.lat, data.centre.lng], { radius: 9, color: "#b71c1c", fillColor: "#b71c1c", fillOpacity: 0.6, weight: 2 })
      .bindTooltip(label(el.dataset.centreLabel || "⊕")).addTo(layer);
  }
  (data.points || []).forEach(function (p) {
    var team = p.kind === "team";
    L.circleMarker([p.lat, p.lng], { radius: 7, color: team ? "#1565c0" : "#2e7d32", fillColor: "#fff", fillOpacity: 1, weight: 3 })
      .bindTooltip(label(p.label)).addTo(layer);
  });
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 14 }); } else { map.setView([24.35, 106.56], 9); }
  el.dataset.ready = "1";
})();
