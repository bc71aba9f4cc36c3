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

  function draw(figures) {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var fig = figures[el.getAttribute("data-figure")];
      if (fig) { window.Plotly.newPlot(el, fig.data, fig.layout, CONFIG); }
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
