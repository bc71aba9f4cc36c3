/* Report pages: draw the Plotly figures embedded as JSON, and the print button.
   No inline scripts (CSP script-src 'self'): figures come from
   <script type="application/json" id="report-figures">, drawn into [data-figure] elements. */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, displayModeBar: false };

  function readFigures() {
    var tag = document.getElementById("report-figures");
    if (!tag) { return {}; }
    try { return JSON.parse(tag.textContent); } catch (e) { return {}; }
  }

  /* Phones: smaller type and margins so long spoke labels stay on screen. */
  function fitToWidth(layout, el) {
    if (el.clientWidth >= 560) { return layout; }
    layout.font = Object.assign({}, layout.font, { size: 10 });
    layout.margin = Object.assign({}, layout.margin, { l: 64, r: 64 });
    if (layout.polar) { layout.height = 380; }
    if (layout.xaxis && layout.yaxis && !layout.polar) { layout.margin.l = 8; layout.margin.r = 8; layout.yaxis.automargin = true; }
    layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, y: -0.15 });
    return layout;
  }

  function wrap(label) {
    if (typeof label !== "string" || label.length <= 12) { return label; }
    var cut = label.lastIndexOf(" ", Math.ceil(label.length / 2) + 3);
    return cut > 0 ? label.slice(0, cut) + "<br>" + label.slice(cut + 1) : label;
  }

  /* Phones: long spoke labels on two lines (same categories, drawn narrower). */
  function wrapSpokes(fig, el) {
    if (el.clientWidth >= 560 || !fig.layout.polar) { return fig; }
    fig.data.forEach(function (trace) { if (trace.theta) { trace.theta = trace.theta.map(wrap); } });
    var axis = fig.layout.polar.angularaxis;
    if (axis && axis.categoryarray) { axis.categoryarray = axis.categoryarray.map(wrap); }
    return fig;
  }

  function draw(figures) {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var fig = figures[el.getAttribute("data-figure")];
      if (fig) {
        fig = wrapSpokes(fig, el);
        window.Plotly.newPlot(el, fig.data, fitToWidth(fig.layout, el), CONFIG);
      }
    });
  }

  function resizeAll() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure] .plot-container").forEach(function (plot) {
      window.Plotly.Plots.resize(plot.parentNode);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(readFigures());
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = true; });
      resizeAll();
    });
    window.addEventListener("afterprint", resizeAll);
  });
})();
