/* The risk map (识别一张图): grid boundaries from a json_script block, hazards fetched from
   hazards:map_data with the page's filters plus the visible bbox and zoom, refetched when the map
   moves. Points are coloured by risk level and clustered by Leaflet.markercluster; when too many
   hazards match, the server returns buckets, drawn as sized circles with their counts.
   Vectors draw whether or not the tile server answers. No inline script: CSP-friendly. */
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el || !window.L) { return; }
  var statusEl = document.getElementById("risk-map-status");
  function data(id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; }
  var config = data(el.dataset.config) || {};
  var shapes = data(el.dataset.boundaries) || { type: "FeatureCollection", features: [] };
  var overlays = data(el.dataset.layers) || [];  // registered by other registers: danger zones, shelters
  var text = config.text || {};
  var COLOURS = { 1: "red", 2: "orange", 3: "yellow", 4: "blue" };

  function colourOf(level) { return COLOURS[level] || "none"; }
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  /* Leaflet inserts a string tooltip, popup or icon as HTML: hand it an element holding text. */
  function label(value) { var span = document.createElement("span"); span.textContent = value == null ? "" : String(value); return span; }
  function setStatus(message) { if (statusEl) { statusEl.textContent = message; } }

  // maxZoom on the map itself: without a tile layer Leaflet (and the clusters) would have none.
  var map = L.map(el, { zoomControl: true, attributionControl: false, preferCanvas: false, maxZoom: 18 });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 18, errorTileUrl: "" }).addTo(map);
  }
  var boundaryLayer = L.geoJSON(shapes, {
    style: function (feature) {
      var root = feature.properties.role === "root";
      return { color: root ? "#b71c1c" : "#1565c0", weight: root ? 2.5 : 1.2, fillOpacity: root ? 0.02 : 0.06, interactive: !root };
    },
    onEachFeature: function (feature, layer) { layer.bindTooltip(label(feature.properties.name), { sticky: true }); }
  }).addTo(map);

  /* Overlays of other registers, each switched on and off in the layer control: areas are drawn as
     hatched polygons, points as small squares; their names are text, never HTML. */
  var overlayControl = {};
  overlays.forEach(function (overlay) {
    var layer = L.geoJSON({ type: "FeatureCollection", features: overlay.features || [] }, {
      style: function () { return { className: "rg-overlay rg-overlay-" + overlay.name, color: "#6a1b9a", weight: 1.5, dashArray: "4 3", fillOpacity: 0.12 }; },
      pointToLayer: function (_feature, latlng) {
        return L.marker(latlng, { icon: L.divIcon({ className: "rg-overlay-point rg-overlay-" + overlay.name, iconSize: [14, 14] }) });
      },
      onEachFeature: function (feature, item) { item.bindTooltip(label(feature.properties && feature.properties.name), { sticky: true }); }
    }).addTo(map);
    overlayControl[overlay.label] = layer;
  });
  if (overlays.length) { L.control.layers(null, overlayControl, { collapsed: false }).addTo(map); }

  var clusterGroup = L.markerClusterGroup ? L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 48,
    iconCreateFunction: function (cluster) {
      var best = 99;
      cluster.getAllChildMarkers().forEach(function (marker) {
        var level = marker.options.riskLevel;
        if (level && level < best) { best = level; }
      });
      return bucketIcon(cluster.getChildCount(), best === 99 ? null : best);
    }
  }) : L.layerGroup();
  var bucketLayer = L.layerGroup();
  clusterGroup.addTo(map);
  bucketLayer.addTo(map);

  function bucketIcon(count, level) {
    var size = Math.round(Math.min(64, 26 + 8 * Math.log10(Math.max(1, count))));
    return L.divIcon({
      className: "rg-bucket rg-bucket-" + colourOf(level),
      html: label(count >= 10000 ? Math.round(count / 1000) + "k" : count),
      iconSize: [size, size]
    });
  }

  function popupFor(point) {
    var box = document.createElement("div");
    box.className = "rg-popup";
    var number = document.createElement("div");
    number.className = "muted";
    number.textContent = point.number;
    var title = document.createElement("a");
    title.href = config.detailUrl.replace(/\/0\/$/, "/" + point.id + "/");
    title.textContent = point.title;
    var meta = document.createElement("div");
    meta.textContent = [
      point.level ? config.levels[String(point.level)] : text.ungraded,
      config.states[point.state] || point.state
    ].join(" · ") + (point.overdue ? " · " + text.overdue : "");
    box.appendChild(number);
    box.appendChild(title);
    box.appendChild(meta);
    return box;
  }

  function drawPoints(points) {
    var markers = points.map(function (point) {
      var marker = L.marker([point.lat, point.lng], {
        riskLevel: point.level,
        title: point.number + " " + point.title,
        icon: L.divIcon({
          className: "rg-pin rg-pin-" + colourOf(point.level) + (point.overdue ? " rg-pin-overdue" : ""),
          iconSize: [18, 18]
        })
      });
      marker.bindPopup(popupFor(point));
      return marker;
    });
    if (clusterGroup.addLayers) { clusterGroup.addLayers(markers); } else { markers.forEach(function (m) { clusterGroup.addLayer(m); }); }
  }

  function drawBuckets(buckets) {
    buckets.forEach(function (bucket) {
      var marker = L.marker([bucket.lat, bucket.lng], { icon: bucketIcon(bucket.count, bucket.level), keyboard: true });
      marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
      bucketLayer.addLayer(marker);
    });
  }

  var controller = null;
  var first = true;
  function load(options) {
    options = options || {};
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    if (!options.everywhere) params.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map(function (v) { return v.toFixed(5); }).join(","));
    params.set("zoom", String(map.getZoom()));
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(config.dataUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (payload) {
      clusterGroup.clearLayers();
      bucketLayer.clearLayers();
      if (payload.mode === "clusters") {
        drawBuckets(payload.clusters);
        setStatus(format(text.clusters, { count: payload.total, groups: payload.clusters.length }));
      } else {
        drawPoints(payload.points);
        if (options.fit && payload.points.length) {
          map.fitBounds(L.latLngBounds(payload.points.map(function (p) { return [p.lat, p.lng]; })), { padding: [16, 16], maxZoom: 15 });
        }
        setStatus(format(text.points, { count: payload.total }));
      }
      el.dataset.mode = payload.mode;
      el.dataset.total = String(payload.total);
      el.dataset.ready = "1";
      first = false;
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      setStatus(text.error);
      el.dataset.ready = first ? "error" : el.dataset.ready;
    });
  }

  var timer = null;
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(load, 250); }

  var bounds = boundaryLayer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [8, 8], maxZoom: 15 });
    load();
  } else {  // no boundary drawn yet: fetch everything in scope once and frame it
    map.setView(config.center || [24.35, 106.56], config.zoom || 9);
    load({ everywhere: true, fit: true });
  }
  window.setTimeout(function () { map.on("moveend", schedule); }, 0);
})();
