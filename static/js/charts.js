/* Charts of the desk pages, drawn by ECharts (served from our own static files) from the JSON that
   the page writes with json_script next to each <figure data-chart="id">. SVG rendering, so that a
   printed page has sharp charts; redrawn at the paper's width before printing. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var COLOURS = {
    reported: "#1565c0", closed: "#2e7d32", red: "#d32f2f", orange: "#f57c00", yellow: "#fbc02d",
    blue: "#1565c0", green: "#2e7d32", grey: "#90a4ae", brand: "#b71c1c"
  };
  var charts = [];

  function option(data, width) {
    var label = { color: "#5f6b7a" };
    if (data.horizontal) label.interval = 0;  // every unit's name beside its bars
    else if (width < 560) label.rotate = 45;  // months on a phone
    var categoryAxis = { type: "category", data: data.categories, axisLabel: label, axisTick: { alignWithLabel: true } };
    var valueAxis = { type: "value", minInterval: 1, axisLabel: { color: "#5f6b7a" } };
    return {
      animation: false,
      aria: { enabled: true },
      textStyle: { fontFamily: "inherit" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, data: data.series.map(function (s) { return s.name; }) },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      xAxis: data.horizontal ? valueAxis : categoryAxis,
      yAxis: data.horizontal ? Object.assign({}, categoryAxis, { inverse: true }) : valueAxis,
      series: data.series.map(function (s) {
        var one = { name: s.name, type: data.kind, data: s.data, barMaxWidth: 28 };
        if (s.stack) one.stack = s.stack;
        if (COLOURS[s.colour]) one.itemStyle = { color: COLOURS[s.colour] };
        if (COLOURS[s.colour] && data.kind === "line") one.lineStyle = { color: COLOURS[s.colour] };
        return one;
      })
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (data.horizontal) figure.style.height = Math.max(280, 26 * data.categories.length + 70) + "px";
    var chart = window.echarts.init(figure, null, { renderer: "svg" });
    chart.setOption(option(data, figure.clientWidth));
    charts.push(chart);
  });
  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
