/*
 * The unit chooser (grids.widgets.UnitChooser): a text field holding a unit's id becomes a
 * tom-select search box. Typing asks the scoped endpoint (data-unit-chooser) for matching units,
 * a few pages of 20; an empty box shows the person's top units and their
 * children, and each unit with units below offers a button (下级) that lists them. The page itself holds only
 * the chosen unit. Names are put into the page as text, never as HTML.
 */
;(function () {
  "use strict"

  function text(tag, className, value) {
    var node = document.createElement(tag)
    node.className = className
    node.textContent = value
    return node
  }

  var PAGES = 5

  function setUp(input) {
    var url = input.getAttribute("data-unit-chooser")
    var label = input.getAttribute("data-label")
    var parent = "" // the unit whose children are listed, after its button was pressed
    var chosen = input.parentNode.querySelector(".unit-chooser__chosen")
    if (chosen) chosen.hidden = true

    function address(query, page) {
      var params = new URLSearchParams({ q: query, page: String(page) })
      if (!query && parent) params.set("parent", parent)
      return url + "?" + params.toString()
    }

    var options = input.value ? [{ id: input.value, text: label || input.value }] : []
    var select = new TomSelect(input, {
      maxItems: 1,
      create: false,
      valueField: "id",
      labelField: "text",
      searchField: [],
      options: options,
      items: input.value ? [input.value] : [],
      placeholder: input.getAttribute("data-placeholder") || "",
      preload: "focus",
      loadThrottle: 250,
      plugins: ["clear_button"],
      score: function () {
        return function () {
          return 1 // the server has already searched (name or code)
        }
      },
      load: function (query, callback) {
        var self = this
        var shown = []
        function fetchPage(page) {
          return fetch(address(query, page), { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
              return response.ok ? response.json() : { results: [], more: false }
            })
            .then(function (data) {
              shown = shown.concat(data.results)
              // a few pages of 20 at most; a longer list asks for a narrower search
              if (data.more && page < PAGES) return fetchPage(page + 1)
              return shown
            })
        }
        fetchPage(1)
          .then(function (results) {
            self.clearOptions() // only this answer is offered (the chosen unit stays)
            callback(results)
          })
          .catch(function () {
            callback()
          })
      },
      render: {
        option: function (data) {
          var row = text("div", "unit-chooser__option unit-chooser__level-" + (data.level || 0), data.text)
          if (data.code) row.appendChild(text("small", "unit-chooser__code", " " + data.code))
          if (data.children) {
            var button = text("button", "unit-chooser__below", input.getAttribute("data-below") || "")
            button.type = "button"
            button.setAttribute("data-parent", String(data.id))
            row.appendChild(button)
          }
          return row
        },
        item: function (data) {
          return text("div", "unit-chooser__item", data.text)
        },
        no_results: function () {
          return text("div", "no-results", input.getAttribute("data-no-results") || "")
        },
        loading: function () {
          return text("div", "spinner unit-chooser__loading", input.getAttribute("data-loading") || "")
        },
      },
    })

    // "Units below": list the children of that unit instead of choosing it.
    function below(event) {
      var button = event.target.closest ? event.target.closest(".unit-chooser__below") : null
      if (!button) return null
      event.preventDefault()
      event.stopPropagation()
      return button
    }
    function reset() {
      select.clearOptions() // keeps the chosen unit; forgets what was loaded
    }
    select.dropdown.addEventListener("mousedown", below, true) // keep the focus in the box
    select.dropdown.addEventListener(
      "click",
      function (event) {
        var button = below(event)
        if (!button) return
        parent = button.getAttribute("data-parent")
        reset()
        select.setTextboxValue("")
        select.load("")
      },
      true
    )
    select.on("dropdown_close", function () {
      if (!parent) return
      parent = ""
      reset()
      select.wrapper.classList.remove("preloaded") // the top units again at the next opening
    })
  }

  function start() {
    if (typeof TomSelect === "undefined") return // the plain field stays
    document.querySelectorAll("input[data-unit-chooser]").forEach(setUp)
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
