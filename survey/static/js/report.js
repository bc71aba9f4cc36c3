/* Report pages: draw the Plotly figures embedded as JSON, keep them fitted, print them whole.
   No inline scripts (CSP script-src 'self'): figures come from
   <script type="application/json" id="report-figures">, drawn into [data-figure] elements.

   Sizes: a figure's layout.height (set by survey/charts.py) becomes its box's CSS height and
   Plotly fills the box (autosize, `responsive`), so a chart never overflows into the next
   element. Crossing the phone width redraws with phone fonts, margins and wrapped labels.
   Print: each figure is also rendered once, at a fixed A4-friendly size, as an SVG image that
   only print shows (reports-print.css), so a printed chart keeps its full fixed axis range
   whatever the window size was, and never depends on a resize finishing before printing. */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, displayModeBar: false };
  var PHONE = 560;          /* below this box width: phone fonts, margins and labels */
  var PRINT_WIDTH = 680;    /* CSS px: about the printable width of A4 with the page margins */
  var figures = {};

  function readFigures() {
    var tag = document.getElementById("report-figures");
    if (!tag) { return {}; }
    try { return JSON.parse(tag.textContent); } catch (e) { return {}; }
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function wrap(label) {
    if (typeof label !== "string" || label.length <= 12) { return label; }
    var cut = label.lastIndexOf(" ", Math.ceil(label.length / 2) + 3);
    return cut > 0 ? label.slice(0, cut) + "<br>" + label.slice(cut + 1) : label;
  }

  function longestLine(labels) {
    return (labels || []).reduce(function (most, label) {
      return String(label).split("<br>").reduce(function (m, line) {
        return Math.max(m, line.length);
      }, most);
    }, 0);
  }

  /* Phones, radar: the disc takes nearly the whole width. Spoke labels become numbers (1, 2, …),
     the same numbers the area table beside the radar shows before each area, so no label is
     squeezed, wrapped into a line or cut; the hover still names the area. Returns the height
     the radar needs: the disc, a band for the numbers, and the legend below. */
  function fitPolar(fig, width) {
    var axis = fig.layout.polar.angularaxis || {};
    var names = axis.categoryarray || [];
    var number = {};
    names.forEach(function (name, i) { number[name] = String(i + 1); });
    fig.data.forEach(function (trace) {
      if (trace.theta) { trace.theta = trace.theta.map(function (t) { return number[t] || t; }); }
    });
    axis.categoryarray = names.map(function (name) { return number[name]; });
    axis.tickfont = Object.assign({}, axis.tickfont, { size: 12 });
    var side = 22;
    fig.layout.margin = Object.assign({}, fig.layout.margin, { l: side, r: side, t: 26, b: 10 });
    fig.layout.legend = Object.assign({}, fig.layout.legend, { orientation: "v", x: 0, xanchor: "left", y: -0.02, yanchor: "top" });
    var entries = fig.data.filter(function (t) { return t.showlegend !== false; }).length;
    return (width - 2 * side) + 36 + 21 * entries + 12;  /* disc, ring labels, a legend line each */
  }

  /* Phones, heatmap: numbers in 10 px cells cannot be read; the table below holds them. */
  function fitHeatmap(fig) {
    fig.data.forEach(function (trace) {
      trace.texttemplate = "";
      trace.colorbar = Object.assign({}, trace.colorbar, { thickness: 10 });
    });
    fig.layout.margin = Object.assign({}, fig.layout.margin, { l: 8, r: 8 });
    fig.layout.yaxis = Object.assign({}, fig.layout.yaxis, { automargin: true });
    fig.layout.xaxis = Object.assign({}, fig.layout.xaxis, { automargin: true, tickangle: -45 });
  }

  /* Phones, bars: the axis labels take the room they need; the right margin holds a 5.00. */
  function fitBars(fig) {
    fig.layout.margin = Object.assign({}, fig.layout.margin, { l: 8, r: 34 });
    fig.layout.yaxis = Object.assign({}, fig.layout.yaxis, { automargin: true });
  }

  function isHeatmap(fig) { return fig.data.some(function (t) { return t.type === "heatmap"; }); }

  /* The figure as this box shows it: height for the CSS box, layout left to fill the box. */
  function prepare(source, width) {
    var fig = copy(source);
    var height = fig.layout.height || 360;
    delete fig.layout.height;
    delete fig.layout.width;
    fig.layout.autosize = true;
    if (width < PHONE) {
      fig.layout.font = Object.assign({}, fig.layout.font, { size: 10 });
      if (fig.layout.polar) { height = Math.min(height, fitPolar(fig, width)); }
      else if (isHeatmap(fig)) { fitHeatmap(fig); }
      else { fitBars(fig); }
    }
    return { fig: fig, height: height, phone: width < PHONE };
  }

  function drawOne(el) {
    var source = figures[el.getAttribute("data-figure")];
    if (!source) { return; }
    var shown = prepare(source, el.clientWidth);
    el.style.height = shown.height + "px";
    el.setAttribute("data-phone", shown.phone ? "1" : "0");
    window.Plotly.react(el, shown.fig.data, shown.fig.layout, CONFIG);
    if (shown.phone && shown.fig.layout.polar) { squarePolar(el); }
  }

  /* A phone's radar: the legend below takes what room it needs, so grow the box until the
     plot area is as tall as it is wide and the disc fills the width. */
  function squarePolar(el) {
    var size = el._fullLayout && el._fullLayout._size;
    if (!size || size.h >= size.w) { return; }
    el.style.height = (el.clientHeight + size.w - size.h) + "px";
    window.Plotly.Plots.resize(el);
  }

  /* Window narrowed or widened, phone rotated: redraw where the phone/desktop form changes,
     else let Plotly refit the width (its own `responsive` handler does the same). */
  function refit() {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      if (!el.classList.contains("js-plotly-plot")) { return; }
      var phone = el.clientWidth < PHONE ? "1" : "0";
      if (phone !== el.getAttribute("data-phone")) { drawOne(el); }
      else { window.Plotly.Plots.resize(el); }
    });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  /* One SVG image per figure at a fixed size, shown only in print (reports-print.css). */
  function printImage(el) {
    var source = figures[el.getAttribute("data-figure")];
    var fig = copy(source);
    var height = fig.layout.height || 360;
    fig.layout.width = PRINT_WIDTH;
    return window.Plotly.toImage(fig, { format: "svg", width: PRINT_WIDTH, height: height })
      .then(function (url) {
        var img = document.createElement("img");
        img.className = "chart-print";
        img.src = url;
        img.alt = el.getAttribute("aria-label") || "";
        img.width = PRINT_WIDTH;
        img.height = height;
        el.insertAdjacentElement("afterend", img);
        el.classList.add("has-print-image");
      });
  }

  function preparePrint() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"))
      .filter(function (el) { return figures[el.getAttribute("data-figure")]; });
    return charts.reduce(function (done, el) {
      return done.then(function () { return printImage(el); }).catch(function () {});
    }, Promise.resolve()).then(function () {
      document.documentElement.setAttribute("data-print-ready", "1");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 600px)").matches) {  /* phones: one area at a time */
      document.querySelectorAll("details.area-items").forEach(function (d) { d.open = false; });
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    });
    if (!window.Plotly) { return; }
    figures = readFigures();
    document.querySelectorAll("[data-figure]").forEach(drawOne);
    window.addEventListener("resize", debounce(refit, 120));
    window.addEventListener("orientationchange", debounce(refit, 120));
    preparePrint();
  });
})();
