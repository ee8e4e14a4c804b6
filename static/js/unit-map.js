/* The unit page's map: boundaries and points from json_script blocks, tiles from a configurable
   URL. Vector layers draw whether or not the tile server answers (county intranets often have none). */
(function () {
  "use strict";
  var el = document.getElementById("unit-map");
  if (!el || !window.L) { return; }
  function data(id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; }
  /* Leaflet inserts a string tooltip as HTML: hand it an element holding the name as text. */
  function label(text) { var span = document.createElement("span"); span.textContent = text == null ? "" : String(text); return span; }
  var shapes = data(el.dataset.mapData) || { type: "FeatureCollection", features: [] };
  var points = data(el.dataset.points) || [];
  var map = L.map(el, { zoomControl: true, attributionControl: false, maxZoom: 18 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, errorTileUrl: "" }).addTo(map);
  }
  var layer = L.geoJSON(shapes, {
    style: function (feature) {
      var self = feature.properties.role === "self";
      return { color: self ? "#b71c1c" : "#1565c0", weight: self ? 3 : 1.5, fillOpacity: self ? 0.05 : 0.12 };
    },
    onEachFeature: function (feature, lyr) {
      lyr.bindTooltip(label(feature.properties.name));
      if (feature.properties.role === "child") {
        lyr.on("click", function () { window.location.href = "../" + feature.properties.id + "/"; });
      }
    }
  }).addTo(map);
  var markers = L.geoJSON({ type: "FeatureCollection", features: points }, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#b71c1c", fillColor: "#fff", fillOpacity: 1, weight: 3 });
    },
    onEachFeature: function (feature, lyr) { lyr.bindTooltip(label(feature.properties.name)); }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (markers.getLayers().length) { bounds = bounds.isValid() ? bounds.extend(markers.getBounds()) : markers.getBounds(); }
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 15 }); } else { map.setView([24.35, 106.56], 9); }
  el.dataset.ready = "1";
})();
