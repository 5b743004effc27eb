/* netpatrol report: small SVG bar charts drawn from the embedded JSON, and filtering /
   sorting of the server-rendered findings table. No libraries: the file must work offline. */
(function () {
  "use strict";
  var doc = document;
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 15;
  var root = doc.documentElement;
  root.className = root.className.replace(/\bno-js\b/, "js");

  var data = JSON.parse(doc.getElementById("report-data").textContent);
  var names = data.country_names || {};
  var table = doc.querySelector("table.findings");
  var findings = Array.prototype.slice.call(doc.querySelectorAll("tbody.finding"));
  var form = doc.querySelector("form.filters");
  var selects = {};
  var state = { q: "", chart: null };

  // ---- number formatting, the same English style as the server-rendered tables ----
  var plain = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
  var money = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function num(v) { return v === null || v === undefined ? "n/a" : plain.format(v); }
  function eur(v) { return v === null || v === undefined ? "n/a" : "EUR " + money.format(v); }
  function plural(n, one, many) { return num(n) + " " + (n === 1 ? one : many); }
  function countryLabel(code) { return code === "unknown" ? "Unknown" : (names[code] || code); }

  // ---- tooltip ----
  var tip = doc.createElement("div");
  tip.className = "tip";
  tip.id = "chart-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  doc.body.appendChild(tip);

  function showTip(row, x, y) {
    tip.textContent = "";
    var head = doc.createElement("b");
    head.textContent = row.label;
    tip.appendChild(head);
    row.tip.forEach(function (line) {
      var div = doc.createElement("div");
      div.textContent = line;
      tip.appendChild(div);
    });
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 14 + h > window.innerHeight ? y - h - 10 : y + 14;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
  }
  function hideTip() { tip.hidden = true; }

  // ---- chart data ----
  function breakdownRows(key, field) {
    return (data[key] || []).map(function (r) {
      var label = field === "country" ? countryLabel(r.key) : r.key;
      return {
        key: r.key, label: label, value: r.listings, part: r.removed,
        text: num(r.listings),
        tip: [plural(r.listings, "listing", "listings") + " on " + plural(r.sites, "site", "sites"),
              num(r.removed) + " removed", plural(r.specimens, "specimen / item", "specimens / items"),
              eur(r.value_eur) + " offered"]
      };
    });
  }
  function referralRows() {
    var order = ["draft", "sent", "acknowledged", "removed", "refused"];
    var by = {};
    (data.referrals || []).forEach(function (r) {
      var s = by[r.status] || (by[r.status] = { n: 0, items: 0, removed: 0 });
      s.n += 1; s.items += r.items; s.removed += r.removed;
    });
    return Object.keys(by).sort(function (a, b) {
      var i = order.indexOf(a), j = order.indexOf(b);
      return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || (a < b ? -1 : 1);
    }).map(function (s) {
      var v = by[s];
      return {
        key: s, label: s, value: v.n, part: 0, text: num(v.n),
        tip: [plural(v.n, "referral", "referrals"), plural(v.items, "item", "items") + " referred",
              plural(v.removed, "item", "items") + " removed"]
      };
    });
  }

  // ---- SVG drawing ----
  function el(name, attrs, parent) {
    var node = doc.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function shorten(text, max) { return text.length > max ? text.slice(0, max - 1) + "\u2026" : text; }

  function drawChart(box) {
    var key = box.getAttribute("data-chart"), field = box.getAttribute("data-field");
    var rows = key === "by_referral_status" ? referralRows() : breakdownRows(key, field);
    var all = rows.length;
    rows = rows.slice().sort(function (a, b) { return b.value - a.value; }).slice(0, MAX_BARS);
    var W = 480, labelW = 150, valueW = 56, rowH = 26, barH = 16, top = 4;
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    var scale = (W - labelW - valueW) / max;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + (rows.length * rowH + top * 2), role: "presentation" }, box);
    rows.forEach(function (row, i) {
      var y = top + i * rowH;
      var g = el("g", { "class": "row", "data-key": row.key }, svg);
      var label = el("text", { x: labelW - 8, y: y + rowH / 2 + 4, "text-anchor": "end" }, g);
      label.textContent = shorten(row.label, 24);
      var w = Math.max(row.value > 0 ? 2 : 0, row.value * scale);
      el("rect", { "class": "bar", x: labelW, y: y + (rowH - barH) / 2, width: w, height: barH }, g);
      if (row.part > 0) {
        el("rect", { "class": "bar-removed", x: labelW, y: y + (rowH - barH) / 2,
                     width: Math.max(2, row.part * scale), height: barH }, g);
      }
      var value = el("text", { "class": "v", x: labelW + w + 6, y: y + rowH / 2 + 4 }, g);
      value.textContent = row.text;
      var hit = el("rect", { "class": "hit", x: 0, y: y, width: W, height: rowH, tabindex: 0,
                             role: "button", "aria-pressed": "false", "aria-describedby": "chart-tip",
                             "aria-label": row.label + ": " + row.tip.join(", ") + ". Press Enter to filter the findings." }, g);
      wireBar(g, hit, row, field);
    });
    var legend = doc.createElement("p");
    legend.className = "legend";
    legend.textContent = (key === "by_referral_status" ? "Referrals" : "Listings") +
      (all > rows.length ? " \u2014 top " + rows.length + " of " + all + " (all in the table)" : "");
    if (rows.some(function (r) { return r.part > 0; })) {
      var swatch = doc.createElement("i");
      swatch.style.background = "var(--accent-2)";
      legend.appendChild(swatch);
      legend.appendChild(doc.createTextNode("removed"));
    }
    box.appendChild(legend);
  }

  function wireBar(g, hit, row, field) {
    g.addEventListener("mousemove", function (e) { showTip(row, e.clientX, e.clientY); });
    g.addEventListener("mouseleave", hideTip);
    hit.addEventListener("focus", function () {
      g.classList.add("focus");
      var r = hit.getBoundingClientRect();
      showTip(row, r.left + r.width / 3, r.bottom - 8);
    });
    hit.addEventListener("blur", function () { g.classList.remove("focus"); hideTip(); });
    g.addEventListener("click", function () { filterBy(field, row.key, row.label); });
    hit.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); filterBy(field, row.key, row.label); }
    });
  }

  // ---- filtering ----
  var LABELS = { platform: "Platform / site", species: "Species", appendix: "CITES appendix",
                 referral: "Referral status", country: "Country", category: "Category" };

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function filterBy(field, value, label) {
    var select = selects[field];
    if (select && hasOption(select, value)) {
      select.value = select.value === value ? "" : value;
    } else {
      var same = state.chart && state.chart.field === field && state.chart.value === value;
      state.chart = same ? null : { field: field, value: value, label: label };
    }
    apply();
    var count = doc.querySelector("p.count");
    if (count && count.getBoundingClientRect().top > window.innerHeight) {
      count.scrollIntoView({ block: "start" });
    }
  }

  function listed(text, value) { return text ? text.split("|").indexOf(value) >= 0 : false; }

  function matches(tb) {
    var d = tb.dataset;
    var keys = Object.keys(selects);
    for (var i = 0; i < keys.length; i++) {
      var v = selects[keys[i]].value;
      if (v && d[keys[i]] !== v) return false;
    }
    if (state.q && d.text.indexOf(state.q) < 0) return false;
    var c = state.chart;
    if (!c) return true;
    if (c.field === "platform") return d.platform === c.value || d.site === c.value;
    if (c.field === "species" || c.field === "appendix" || c.field === "referral") return listed(d[c.field], c.value);
    return d[c.field] === c.value;
  }

  function active(field) {
    if (selects[field] && selects[field].value) return selects[field].value;
    return state.chart && state.chart.field === field ? state.chart.value : null;
  }

  function apply() {
    var shown = 0;
    findings.forEach(function (tb) {
      var ok = matches(tb);
      tb.hidden = !ok;
      if (ok) shown += 1;
    });
    var count = doc.querySelector("p.count");
    count.textContent = shown === findings.length
      ? num(findings.length) + " findings"
      : "Showing " + num(shown) + " of " + num(findings.length) + " findings";
    var chip = form.querySelector(".chip");
    chip.hidden = !state.chart;
    if (state.chart) {
      chip.querySelector(".chip-text").textContent = LABELS[state.chart.field] + ": " + state.chart.label;
    }
    doc.querySelectorAll(".chart").forEach(function (box) {
      var value = active(box.getAttribute("data-field"));
      box.querySelectorAll("g.row").forEach(function (g) {
        var on = value !== null && g.getAttribute("data-key") === value;
        g.classList.toggle("active", on);
        g.querySelector(".hit").setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
  }

  function clearFilters() {
    Object.keys(selects).forEach(function (k) { selects[k].value = ""; });
    form.querySelector("input[type=search]").value = "";
    state.q = "";
    state.chart = null;
    apply();
  }

  function wireFilters() {
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.querySelectorAll("select[data-filter]").forEach(function (s) {
      selects[s.getAttribute("data-filter")] = s;
      s.addEventListener("change", apply);
    });
    form.querySelector("input[type=search]").addEventListener("input", function (e) {
      state.q = e.target.value.trim().toLowerCase();
      apply();
    });
    form.querySelector(".chip-clear").addEventListener("click", function () { state.chart = null; apply(); });
    form.querySelector("button.clear").addEventListener("click", clearFilters);
  }

  // ---- sorting ----
  function wireSorting() {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      th.querySelector("button.sort").addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var keyed = findings.map(function (tb) {
          var v = tb.rows[0].cells[index].getAttribute("data-v") || "";
          return { tb: tb, v: numeric ? parseFloat(v) || 0 : v.toLowerCase() };
        });
        keyed.sort(function (a, b) { return (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) * dir; });
        keyed.forEach(function (k) { table.appendChild(k.tb); });
      });
    });
  }

  // ---- evidence anchors and printing ----
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("finding-") !== 0) return;
    var tb = doc.getElementById(id);
    if (!tb) return;
    if (tb.hidden) clearFilters();
    tb.querySelector("details").open = true;
    tb.scrollIntoView({ block: "start" });
  }

  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(doc.querySelectorAll("details"), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  doc.querySelectorAll(".chart[data-chart]").forEach(drawChart);
  if (table && form) {
    wireFilters();
    wireSorting();
    apply();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  root.setAttribute("data-ready", "1");  // tests and printing tools wait on this
})();
