/*
 * GeoJSON map widget (grids.widgets.GeoJSONMapWidget).
 *
 * Each <div data-geojson-map> names its textarea (data-textarea) and the geometry it edits
 * (data-geom-type: "Polygon" or "Point"). The map draws the geometry held in the textarea,
 * fits itself to it (or shows the default centre), lets the user draw, edit or delete one
 * polygon or one marker, and writes the GeoJSON geometry (not a Feature) back. Without a
 * reachable tile server the shape is still drawn on a blank map.
 */
;(function () {
  "use strict"

  function parseGeometry(text) {
    if (!text || !text.trim()) return null
    try {
      var value = JSON.parse(text)
      if (value && value.type === "Feature") value = value.geometry
      return value && typeof value === "object" && value.type ? value : null
    } catch (error) {
      return undefined // unreadable: leave the text for the user to fix
    }
  }

  function drawOptions(geomType) {
    var polygon = geomType === "Polygon"
    return {
      polygon: polygon ? { allowIntersection: false, showArea: false } : false,
      rectangle: polygon ? { showArea: false } : false,
      marker: geomType === "Point" ? {} : false,
      polyline: false,
      circle: false,
      circlemarker: false,
    }
  }

  function initMap(container) {
    if (container.dataset.geojsonMapReady) return
    container.dataset.geojsonMapReady = "1"
    var textarea = document.getElementById(container.dataset.textarea)
    var canvas = container.querySelector(".geojson-map__canvas")
    if (!textarea || !canvas || typeof L === "undefined") return

    var geomType = container.dataset.geomType || "Polygon"
    var center = JSON.parse(container.dataset.defaultCenter || "[0, 0]")
    var zoom = parseInt(container.dataset.defaultZoom || "9", 10)
    var maxZoom = parseInt(container.dataset.maxZoom || "18", 10)

    var map = L.map(canvas, { center: center, zoom: zoom, maxZoom: maxZoom })
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: maxZoom,
      }).addTo(map)
    }

    // Outlines for context (not edited): the unit's own boundary beside its location marker, the
    // parent unit's boundary beside a boundary being drawn. Drawn even with no base map.
    var context = null
    if (container.dataset.context) {
      try {
        context = L.geoJSON(JSON.parse(container.dataset.context), {
          interactive: false,
          style: { color: "#5f6b7a", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.05 },
        }).addTo(map)
      } catch (error) {
        context = null
      }
    }

    var drawn = new L.FeatureGroup().addTo(map)
    map.addControl(
      new L.Control.Draw({
        draw: drawOptions(geomType),
        edit: { featureGroup: drawn, remove: true },
      }),
    )

    function fit() {
      var layers = drawn.getLayers()
      if (!layers.length) {
        if (context && context.getLayers().length) map.fitBounds(context.getBounds(), { padding: [12, 12] })
        else map.setView(center, zoom)
      } else if (layers[0].getLatLng && context && context.getLayers().length) {
        map.fitBounds(context.getBounds().extend(layers[0].getLatLng()), { padding: [12, 12] })
      } else if (layers[0].getLatLng) {
        map.setView(layers[0].getLatLng(), Math.max(zoom, 14))
      } else {
        map.fitBounds(drawn.getBounds(), { padding: [12, 12] })
      }
    }

    function load() {
      var geometry = parseGeometry(textarea.value)
      if (geometry === undefined) {
        container.querySelector(".geojson-map__source").open = true
        return
      }
      drawn.clearLayers()
      if (geometry) {
        L.geoJSON(geometry).eachLayer(function (layer) {
          drawn.addLayer(layer)
        })
      }
      fit()
    }

    function save() {
      var layers = drawn.getLayers()
      textarea.value = layers.length ? JSON.stringify(layers[0].toGeoJSON().geometry) : ""
    }

    map.on(L.Draw.Event.CREATED, function (event) {
      drawn.clearLayers() // one boundary or one marker per field
      drawn.addLayer(event.layer)
      save()
    })
    map.on(L.Draw.Event.EDITED, save)
    map.on(L.Draw.Event.DELETED, save)
    textarea.addEventListener("change", load)

    load()
  }

  function initAll() {
    document.querySelectorAll("[data-geojson-map]").forEach(initMap)
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll)
  } else {
    initAll()
  }
})()
